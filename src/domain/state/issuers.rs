//! Who asked for each turn of the day: an interned list, so a turn holds a small index,
//! and what a supervisor reads before cancelling a flood in bulk.

use super::OfficeState;
use crate::domain::{Issuer, TicketStatus};
use std::collections::HashMap;

/// The day's issuers, each kept once.
#[derive(Debug, Clone, Default)]
pub(super) struct IssuerBook {
    list: Vec<Issuer>,
    index: HashMap<Issuer, u32>,
}

impl IssuerBook {
    /// The index of `issuer`, added if new.
    pub(super) fn intern(&mut self, issuer: &Issuer) -> u32 {
        if let Some(&i) = self.index.get(issuer) {
            return i;
        }
        let i = self.list.len() as u32;
        self.list.push(issuer.clone());
        self.index.insert(issuer.clone(), i);
        i
    }
}

/// How many turns one issuer brought in today, and how many of them still wait.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuerCount {
    /// Who.
    pub issuer: Issuer,
    /// Turns issued today.
    pub issued: u32,
    /// Of those, turns still waiting.
    pub waiting: u32,
}

impl OfficeState {
    /// Who asked for a turn, when known.
    pub fn issuer_of(&self, seq: u32) -> Option<&Issuer> {
        let i = self.tickets.get(seq as usize)?.issuer?;
        self.issuers.list.get(i as usize)
    }

    /// The waiting turns `issuer` brought in (of `service` only, if given), by sequence.
    pub fn waiting_issued_by(&self, issuer: &Issuer, service: Option<u16>) -> Vec<u32> {
        let Some(&i) = self.issuers.index.get(issuer) else {
            return Vec::new();
        };
        self.tickets
            .iter()
            .filter(|t| {
                !t.placeholder
                    && t.issuer == Some(i)
                    && t.status == TicketStatus::Waiting
                    && service.is_none_or(|s| t.code_service == s)
            })
            .map(|t| t.seq)
            .collect()
    }

    /// Today's issuers with their turns, those with the most waiting first, at most
    /// `limit` of them.
    pub fn issuer_counts(&self, limit: usize) -> Vec<IssuerCount> {
        let mut counts: Vec<IssuerCount> = self
            .issuers
            .list
            .iter()
            .map(|issuer| IssuerCount {
                issuer: issuer.clone(),
                issued: 0,
                waiting: 0,
            })
            .collect();
        for t in self.tickets.iter().filter(|t| !t.placeholder) {
            if let Some(c) = t.issuer.and_then(|i| counts.get_mut(i as usize)) {
                c.issued += 1;
                c.waiting += u32::from(t.status == TicketStatus::Waiting);
            }
        }
        counts.sort_by(|a, b| {
            (b.waiting, b.issued, &a.issuer).cmp(&(a.waiting, a.issued, &b.issuer))
        });
        counts.truncate(limit);
        counts
    }
}
