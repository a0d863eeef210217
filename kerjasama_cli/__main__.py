from kerjasama_cli.console import main

main()
