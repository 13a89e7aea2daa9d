//! How many lobby-screen sockets each client address and each office may hold: an idle
//! socket costs a file descriptor, and without a cap one script holding a thousand of
//! them made the server unreachable. A screen over a cap is refused at once (429), those
//! already open carry on, and a slot frees when its screen goes.

use parking_lot::Mutex;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;

/// Screens per address when the configuration says nothing: a large lobby behind one
/// router has a few dozen.
pub const DEFAULT_PER_ADDRESS: u32 = 100;
/// Screens per office when the configuration says nothing.
pub const DEFAULT_PER_OFFICE: u32 = 2000;

/// Which cap a screen met.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Full {
    /// Its address holds as many screens as it may.
    Address,
    /// Its office does.
    Office,
    /// The server holds as many as its open-file limit allows.
    Server,
}

#[derive(Default)]
struct Counts {
    by_address: HashMap<IpAddr, u32>,
    by_office: HashMap<String, u32>,
    all: u32,
}

/// The open screens, counted.
pub struct ScreenSlots {
    per_address: u32,
    per_office: u32,
    in_all: u32,
    counts: Arc<Mutex<Counts>>,
}

/// A screen's place; dropping it frees the place.
pub struct Slot {
    address: IpAddr,
    office: String,
    counts: Arc<Mutex<Counts>>,
}

impl ScreenSlots {
    /// Slots with these caps (`in_all`: for the whole server, below its file limit).
    pub fn new(per_address: u32, per_office: u32, in_all: u32) -> Self {
        ScreenSlots {
            per_address,
            per_office,
            in_all,
            counts: Arc::default(),
        }
    }

    /// A place for a screen of `office` from `address`, if both have room.
    pub fn take(&self, address: IpAddr, office: &str) -> Result<Slot, Full> {
        let mut counts = self.counts.lock();
        if counts.by_address.get(&address).copied().unwrap_or(0) >= self.per_address {
            return Err(Full::Address);
        }
        if counts.by_office.get(office).copied().unwrap_or(0) >= self.per_office {
            return Err(Full::Office);
        }
        if counts.all >= self.in_all {
            return Err(Full::Server);
        }
        counts.all += 1;
        *counts.by_address.entry(address).or_default() += 1;
        *counts.by_office.entry(office.to_owned()).or_default() += 1;
        Ok(Slot {
            address,
            office: office.to_owned(),
            counts: self.counts.clone(),
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut counts = self.counts.lock();
        if let Some(n) = counts.by_address.get_mut(&self.address) {
            *n -= 1;
            if *n == 0 {
                counts.by_address.remove(&self.address);
            }
        }
        if let Some(n) = counts.by_office.get_mut(&self.office) {
            *n = n.saturating_sub(1);
        }
        counts.all = counts.all.saturating_sub(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_per_address_and_office_and_places_free_when_screens_go() {
        let slots = ScreenSlots::new(2, 3, 100);
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        let first = slots.take(a, "central").unwrap();
        let _second = slots.take(a, "central").unwrap();
        assert_eq!(slots.take(a, "central").err(), Some(Full::Address));
        let _third = slots.take(b, "central").unwrap();
        assert_eq!(slots.take(b, "central").err(), Some(Full::Office));
        assert!(slots.take(b, "norte").is_ok());
        drop(first);
        assert!(slots.take(a, "central").is_ok());
        let server = ScreenSlots::new(10, 10, 1);
        let _only = server.take(a, "central").unwrap();
        assert_eq!(server.take(b, "norte").err(), Some(Full::Server));
    }
}
