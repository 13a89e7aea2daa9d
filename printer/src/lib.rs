//! ESC/POS ticket rendering for Turnero (filled in by the printing issue).
