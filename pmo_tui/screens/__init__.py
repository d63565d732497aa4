"""One module per screen: home, project detail, meeting agenda, help, dialogs."""
