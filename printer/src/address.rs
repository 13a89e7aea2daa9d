//! Printer addresses as written in configuration: `tcp://host:port`, `file:/dev/…`,
//! `dir:/path`.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;

use crate::transport::{
    DeviceOptions, DeviceTransport, DirTransport, TcpOptions, TcpTransport, Transport,
};

/// The raw TCP port of network receipt printers.
pub const DEFAULT_TCP_PORT: u16 = 9100;

/// Where a printer is, parsed once from configuration.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PrinterAddress {
    /// `tcp://host[:port]`, port 9100 when omitted; IPv6 hosts in brackets.
    Tcp {
        /// Host name or IP address (IPv6 without brackets).
        host: String,
        /// TCP port.
        port: u16,
    },
    /// `file:/dev/usb/lp0`: a device file.
    Device(PathBuf),
    /// `dir:/var/spool/turnero`: one file per job in a folder.
    Dir(PathBuf),
}

/// Why a printer address string was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    /// Nothing was given.
    #[error("printer address is empty; expected tcp://host:9100, file:/dev/usb/lp0 or dir:/path")]
    Empty,
    /// The part before `:` is not one we know.
    #[error("printer address {0:?} has no known scheme; expected tcp://host:9100, file:/dev/usb/lp0 or dir:/path")]
    UnknownScheme(String),
    /// `tcp://` without a host.
    #[error("printer address {0:?} has no host; expected tcp://host:9100")]
    MissingHost(String),
    /// A port that is not a number in 1..=65535.
    #[error("printer address {0:?} has an invalid port; expected a number from 1 to 65535")]
    BadPort(String),
    /// `tcp://` with a path, query or user part.
    #[error("printer address {0:?} has extra parts; expected just tcp://host:port")]
    Unexpected(String),
    /// `file:` or `dir:` without a path.
    #[error("printer address {0:?} has no path")]
    MissingPath(String),
}

impl FromStr for PrinterAddress {
    type Err = AddressError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if s.is_empty() {
            return Err(AddressError::Empty);
        }
        if let Some(rest) = strip_prefix_ci(s, "tcp://") {
            return parse_tcp(s, rest);
        }
        for (scheme, make) in [
            (
                "file:",
                PrinterAddress::Device as fn(PathBuf) -> PrinterAddress,
            ),
            ("dir:", PrinterAddress::Dir),
        ] {
            if let Some(rest) = strip_prefix_ci(s, scheme) {
                // Accept `file:///dev/usb/lp0` as well as `file:/dev/usb/lp0`.
                let path = rest.strip_prefix("//").unwrap_or(rest);
                if path.is_empty() {
                    return Err(AddressError::MissingPath(s.to_owned()));
                }
                return Ok(make(PathBuf::from(path)));
            }
        }
        Err(AddressError::UnknownScheme(s.to_owned()))
    }
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

fn parse_tcp(whole: &str, rest: &str) -> Result<PrinterAddress, AddressError> {
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    if rest.contains(['/', '?', '#', '@']) {
        return Err(AddressError::Unexpected(whole.to_owned()));
    }
    let (host, port) = if let Some(v6) = rest.strip_prefix('[') {
        let (host, after) = v6
            .split_once(']')
            .ok_or_else(|| AddressError::MissingHost(whole.to_owned()))?;
        match after {
            "" => (host, None),
            p => match p.strip_prefix(':') {
                Some(port) => (host, Some(port)),
                None => return Err(AddressError::Unexpected(whole.to_owned())),
            },
        }
    } else {
        match rest.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (rest, None),
        }
    };
    if host.is_empty() {
        return Err(AddressError::MissingHost(whole.to_owned()));
    }
    let port = match port {
        None => DEFAULT_TCP_PORT,
        Some(p) => match p.parse::<u16>() {
            Ok(port) if port > 0 => port,
            _ => return Err(AddressError::BadPort(whole.to_owned())),
        },
    };
    Ok(PrinterAddress::Tcp {
        host: host.to_owned(),
        port,
    })
}

impl fmt::Display for PrinterAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PrinterAddress::Tcp { host, port } if host.contains(':') => {
                write!(f, "tcp://[{host}]:{port}")
            }
            PrinterAddress::Tcp { host, port } => write!(f, "tcp://{host}:{port}"),
            PrinterAddress::Device(path) => write!(f, "file:{}", path.display()),
            PrinterAddress::Dir(path) => write!(f, "dir:{}", path.display()),
        }
    }
}

impl PrinterAddress {
    /// A transport for this address with default timeouts.
    pub fn transport(&self) -> Arc<dyn Transport> {
        match self {
            PrinterAddress::Tcp { host, port } => Arc::new(TcpTransport::new(
                host.clone(),
                *port,
                TcpOptions::default(),
            )),
            PrinterAddress::Device(path) => {
                Arc::new(DeviceTransport::new(path.clone(), DeviceOptions::default()))
            }
            PrinterAddress::Dir(path) => Arc::new(DirTransport::new(path.clone())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tcp(host: &str, port: u16) -> PrinterAddress {
        PrinterAddress::Tcp {
            host: host.into(),
            port,
        }
    }

    #[test]
    fn parses_the_three_kinds() {
        assert_eq!("tcp://10.0.0.5:9100".parse(), Ok(tcp("10.0.0.5", 9100)));
        assert_eq!("tcp://impresora-1".parse(), Ok(tcp("impresora-1", 9100)));
        assert_eq!("TCP://10.0.0.5:9101/".parse(), Ok(tcp("10.0.0.5", 9101)));
        assert_eq!("tcp://[fe80::1]:9100".parse(), Ok(tcp("fe80::1", 9100)));
        assert_eq!("tcp://[::1]".parse(), Ok(tcp("::1", 9100)));
        assert_eq!(
            "file:/dev/usb/lp0".parse(),
            Ok(PrinterAddress::Device("/dev/usb/lp0".into()))
        );
        assert_eq!(
            "file:///dev/usb/lp0".parse(),
            Ok(PrinterAddress::Device("/dev/usb/lp0".into()))
        );
        assert_eq!(
            " dir:/var/spool/turnero ".parse(),
            Ok(PrinterAddress::Dir("/var/spool/turnero".into()))
        );
    }

    #[test]
    fn clear_errors() {
        let err = |s: &str| s.parse::<PrinterAddress>().unwrap_err();
        assert_eq!(err(""), AddressError::Empty);
        assert!(matches!(
            err("10.0.0.5:9100"),
            AddressError::UnknownScheme(_)
        ));
        assert!(matches!(err("lpt:1"), AddressError::UnknownScheme(_)));
        assert!(matches!(err("tcp://:9100"), AddressError::MissingHost(_)));
        assert!(matches!(err("tcp://h:0"), AddressError::BadPort(_)));
        assert!(matches!(err("tcp://h:99999"), AddressError::BadPort(_)));
        assert!(matches!(err("tcp://h:abc"), AddressError::BadPort(_)));
        assert!(matches!(err("tcp://h:9100/x"), AddressError::Unexpected(_)));
        assert!(matches!(err("file:"), AddressError::MissingPath(_)));
        assert!(err("lpt:1").to_string().contains("tcp://host:9100"));
    }

    #[test]
    fn display_round_trips() {
        for s in [
            "tcp://10.0.0.5:9100",
            "tcp://[::1]:9100",
            "file:/dev/usb/lp0",
            "dir:/tmp/x",
        ] {
            let a: PrinterAddress = s.parse().unwrap();
            assert_eq!(a.to_string(), s);
        }
    }
}
