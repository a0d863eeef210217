from kerjasama_cli.cli.app import main

main()
