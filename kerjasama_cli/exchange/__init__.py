"""Records in and out of spreadsheets and databases: `export` and `import`.

layout.py is the column layout shared by CSV and XLSX (one row per agreement); rows.py reads
an imported sheet's header and cells, and parse.py turns a row back into record data;
sheets.py reads and writes CSV and XLSX files (openpyxl, an optional extra); database.py builds
the SQLite file; export.py and importing.py are the two operations. None of it prints:
commands render what these functions return.
"""
