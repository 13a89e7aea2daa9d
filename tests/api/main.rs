//! Integration tests: the real server on port 0, spoken to over HTTP and WebSocket.

mod helpers;

mod audit;
mod bad_input;
mod cli;
mod concurrency;
mod connections;
mod display;
mod durability;
mod fairness;
mod headers;
mod integrity;
mod issuing;
mod join;
mod languages;
mod links;
mod notify_gateway;
mod numbering;
mod openapi;
mod organisation;
mod ownership;
mod printing;
mod report;
mod rollover;
mod screens;
mod sessions;
mod several;
mod signin;
mod slides;
mod slow_bodies;
mod snooze;
mod supervision;
mod survey;
mod ticket_live;
mod turn_life;
mod web_push;
