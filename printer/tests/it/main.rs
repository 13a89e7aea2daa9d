//! Integration tests of `turnero-printer`, built into one binary.

mod agent_cli;
mod codepages;
mod decoder;
mod fake_printer;
mod fixtures;
mod render;
mod spool;
mod transports;
