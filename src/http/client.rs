//! Who is asking: the client's address, for limits and throttles. The peer address,
//! unless the peer is a configured reverse proxy (`[server] trusted_proxies`): then the
//! last address its `X-Forwarded-For` adds that is not itself a trusted proxy. A header
//! from anyone else is ignored, so a client cannot choose its own address.

use actix_web::HttpRequest;
use std::net::{IpAddr, Ipv4Addr};

/// The client's address as far as this server can trust it.
pub fn address(req: &HttpRequest, trusted: &[IpAddr]) -> IpAddr {
    let peer = req
        .peer_addr()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |a| a.ip());
    if !trusted.contains(&peer) {
        return peer;
    }
    let forwarded = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse::<IpAddr>().ok())
        .collect::<Vec<_>>();
    // Read from the right: each proxy appends the address it saw.
    forwarded
        .into_iter()
        .rev()
        .find(|a| !trusted.contains(a))
        .unwrap_or(peer)
}

/// What limits count an address as: an IPv4 address itself, an IPv6 address by its /64
/// network, which one subscriber usually holds whole, so that rotating through it does
/// not escape a limit.
pub fn bucket(address: IpAddr) -> String {
    match address {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn forwarded_addresses_count_only_from_trusted_proxies() {
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        let from = |peer: &str, xff: Option<&str>| {
            let mut r = TestRequest::default().peer_addr(format!("{peer}:4000").parse().unwrap());
            if let Some(v) = xff {
                r = r.insert_header(("x-forwarded-for", v));
            }
            address(&r.to_http_request(), &[proxy])
        };
        assert_eq!(
            from("10.0.0.2", Some("203.0.113.7")).to_string(),
            "203.0.113.7"
        );
        assert_eq!(
            from("10.0.0.2", Some("1.1.1.1, 203.0.113.7")).to_string(),
            "203.0.113.7",
            "the client cannot put an address before the proxy's"
        );
        assert_eq!(
            from("10.0.0.2", Some("203.0.113.7, 10.0.0.2")).to_string(),
            "203.0.113.7"
        );
        assert_eq!(
            from("198.51.100.1", Some("203.0.113.7")).to_string(),
            "198.51.100.1"
        );
        assert_eq!(from("10.0.0.2", Some("garbage")).to_string(), "10.0.0.2");
        assert_eq!(from("10.0.0.2", None).to_string(), "10.0.0.2");
    }

    #[test]
    fn an_ipv6_subscriber_is_counted_by_its_network() {
        let b = |s: &str| bucket(s.parse().unwrap());
        assert_eq!(b("2001:db8:1:2::5"), b("2001:db8:1:2:ffff::9"));
        assert_ne!(b("2001:db8:1:2::5"), b("2001:db8:1:3::5"));
        assert_eq!(b("203.0.113.7"), "203.0.113.7");
        assert_eq!(b("::ffff:203.0.113.7"), "203.0.113.7");
    }
}
