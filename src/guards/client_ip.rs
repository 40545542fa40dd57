//! Who is asking, as rate limits see it: the socket's address, or the configured proxy
//! header's (never a header nobody configured: a forged `X-Real-IP` buys nothing).

use std::convert::Infallible;
use std::net::IpAddr;

use rocket::request::{FromRequest, Outcome, Request};

use super::App;

/// The client's address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClientIp(pub IpAddr);

impl ClientIp {
    pub fn of(req: &Request<'_>, proxy_header: Option<&str>) -> ClientIp {
        let from_header = proxy_header
            .and_then(|name| req.headers().get_one(name))
            // A proxy appends the address it saw: the last entry is the one it vouches for.
            .and_then(|value| value.rsplit(',').next())
            .and_then(|last| last.trim().parse::<IpAddr>().ok());
        let ip =
            from_header.or_else(|| req.remote().map(|addr| addr.ip())).unwrap_or(IpAddr::from([0, 0, 0, 0]));
        ClientIp(ip)
    }

    /// What a rate limit counts: an IPv4 address, or the /64 network of an IPv6 address (one
    /// host usually has a whole /64 to pick from).
    pub fn limit_key(self) -> IpAddr {
        normalise(self.0)
    }
}

fn normalise(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::from([s[0], s[1], s[2], s[3], 0, 0, 0, 0])
            }
        },
        v4 => v4,
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for ClientIp {
    type Error = Infallible;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Infallible> {
        let header = App::of(req).and_then(|app| app.config.proxy_ip_header.clone());
        Outcome::Success(ClientIp::of(req, header.as_deref()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_is_reduced_to_its_network_and_mapped_v4_to_v4() {
        assert_eq!(
            normalise("2001:db8:1:2:3:4:5:6".parse().unwrap()),
            "2001:db8:1:2::".parse::<IpAddr>().unwrap()
        );
        assert_eq!(normalise("::ffff:192.0.2.7".parse().unwrap()), "192.0.2.7".parse::<IpAddr>().unwrap());
        assert_eq!(normalise("192.0.2.7".parse().unwrap()), "192.0.2.7".parse::<IpAddr>().unwrap());
    }
}
