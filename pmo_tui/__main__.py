from pmo_tui.cli import main

main()
