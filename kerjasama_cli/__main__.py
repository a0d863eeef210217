from kerjasama_cli.launch import main

main()
