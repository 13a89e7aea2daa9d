//! The process's open-file limit: raised to the hard limit at start, and read to keep
//! connections below it. Every screen, phone page and print agent holds a socket; the
//! usual soft limit of 1,024 is reached by one lobby of screens, and past it the server
//! cannot even accept a citizen's request.

/// File descriptors kept out of the connections' reach: logs, the store, and refused
/// connections not yet closed.
pub const RESERVED_FILES: u64 = 128;

/// Raises the soft open-file limit to the hard limit; returns the limit in force.
pub fn raise_open_files() -> Option<u64> {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: getrlimit/setrlimit read and write a plain struct owned here.
    unsafe {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
            return None;
        }
        if limit.rlim_cur < limit.rlim_max {
            let raised = libc::rlimit {
                rlim_cur: limit.rlim_max,
                rlim_max: limit.rlim_max,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                limit = raised;
            }
        }
        Some(limit.rlim_cur)
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    None
}

/// The open-file limit in force, if known.
pub fn open_files() -> Option<u64> {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: getrlimit writes a plain struct owned here.
    unsafe {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        (libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0).then_some(limit.rlim_cur)
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    None
}

/// Connections the process may hold when the configuration says nothing (or asks for
/// more): its open-file limit (`open_files`, `None` when unknown) less the reserve, so it
/// never runs out of descriptors for its store and logs.
pub fn default_connections(open_files: Option<u64>) -> u32 {
    open_files.map_or(u32::MAX, |n| {
        u32::try_from(n.saturating_sub(RESERVED_FILES).max(16)).unwrap_or(u32::MAX)
    })
}

/// The connection cap in force, and what was asked for when it was more than that.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionCap {
    /// Connections served at once; the next is refused.
    pub max: u32,
    /// The configured `max_connections`, when it was above the default and cut to it.
    pub clamped_from: Option<u32>,
}

/// The cap: `configured` (`[server] max_connections`) or the default, never above the
/// default: a cap past the file limit would be met by `accept` failing, not by a refusal.
pub fn connection_cap(configured: Option<u32>, open_files: Option<u64>) -> ConnectionCap {
    let default = default_connections(open_files);
    match configured {
        Some(asked) if asked > default => ConnectionCap {
            max: default,
            clamped_from: Some(asked),
        },
        asked => ConnectionCap {
            max: asked.unwrap_or(default),
            clamped_from: None,
        },
    }
}

/// Connections kept from the screens when the cap allows: a quarter of the cap, and at
/// least this many.
pub const ROOM_FOR_REQUESTS: u32 = 32;

/// How many lobby screens the process may hold in all: below `max_connections`, leaving a
/// quarter of it (at least [`ROOM_FOR_REQUESTS`], at most half) to ordinary requests, so
/// screens filling up never stop health checks and turn issuing.
pub fn screens_in_all(max_connections: u32) -> u32 {
    let room = (max_connections / 4)
        .max(ROOM_FOR_REQUESTS)
        .min(max_connections / 2);
    max_connections - room
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_stays_below_the_file_limit_and_screens_below_the_cap() {
        assert_eq!(connection_cap(None, Some(256)).max, 128);
        assert_eq!(
            connection_cap(Some(40), Some(256)),
            ConnectionCap {
                max: 40,
                clamped_from: None
            }
        );
        assert_eq!(
            connection_cap(Some(5000), Some(256)),
            ConnectionCap {
                max: 128,
                clamped_from: Some(5000)
            }
        );
        assert_eq!(connection_cap(None, None).max, u32::MAX);
        assert_eq!(connection_cap(Some(7), None).max, 7);
        assert_eq!(screens_in_all(128), 96);
        assert_eq!(screens_in_all(40), 20);
        assert_eq!(screens_in_all(10_000), 7_500);
        assert_eq!(screens_in_all(1), 1);
        assert!(screens_in_all(u32::MAX) < u32::MAX);
    }
}
