//! End-to-end tests of the screens (display/) in a real headless Chromium, driven through
//! chromedriver, against the real server started as a process.
//!
//! Needs Debian's `chromium` and `chromium-driver`. Without them each test prints a skip
//! message, except when `CI` is set, where it fails. Screenshots land in
//! `tests/artifacts/` (gitignored).

mod axe;
mod harness;
mod kiosk;
mod languages;
mod lobby;

mod accessibility;
mod alerts;
mod calls;
mod console;
mod flow;
mod join;
mod links;
mod organisation;
mod out_of_order;
mod pairing;
mod phone;
mod phone_actions;
mod push;
mod recovery;
mod screenshots;
mod slides;
mod sms;
mod supervisor;
mod survey;
