//! The process's open-file limit: raised to the hard limit at start, and read to keep
//! connections below it. Every screen, phone page and print agent holds a socket; the
//! usual soft limit of 1,024 is reached by one lobby of screens, and past it the server
//! cannot even accept a citizen's request.

/// File descriptors kept out of the screens' reach: logs, the store, requests.
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

/// How many lobby screens the process may hold in all: its file limit less a reserve.
pub fn screens_in_all() -> u32 {
    open_files().map_or(u32::MAX, |n| {
        u32::try_from(n.saturating_sub(RESERVED_FILES).max(16)).unwrap_or(u32::MAX)
    })
}
