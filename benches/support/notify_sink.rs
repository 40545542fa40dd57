//! A receiver that accepts every notification, for the benchmark of `submit` with email and
//! webhook on (`scripts/bench-notify.sh`): the least SMTP a client needs (every command 250,
//! DATA until the lone dot) and HTTP/1.1 keep-alive answering 204. Written here rather than
//! taken from a package because the sink shares the server's two cores and must cost as
//! little CPU as possible; Python's aiosmtpd would take most of a core at this rate.
//!
//!     notify_sink SMTP_ADDR HTTP_ADDR

use rocket::tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use rocket::tokio::net::{TcpListener, TcpStream};

fn main() -> std::io::Result<()> {
    rocket::tokio::runtime::Builder::new_current_thread().enable_all().build()?.block_on(run())
}

async fn run() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(smtp), Some(http)) = (args.next(), args.next()) else {
        eprintln!("usage: notify_sink SMTP_ADDR HTTP_ADDR");
        std::process::exit(2);
    };
    let (smtp, http) = (TcpListener::bind(smtp).await?, TcpListener::bind(http).await?);
    loop {
        rocket::tokio::select! {
            Ok((stream, _)) = smtp.accept() => { rocket::tokio::spawn(serve_smtp(stream)); }
            Ok((stream, _)) = http.accept() => { rocket::tokio::spawn(serve_http(stream)); }
        }
    }
}

async fn serve_smtp(stream: TcpStream) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 sink ESMTP\r\n").await?;
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let verb = line.get(..4).unwrap_or_default().to_ascii_uppercase();
        match verb.as_str() {
            "EHLO" => write.write_all(b"250-sink\r\n250 8BITMIME\r\n").await?,
            "DATA" => {
                write.write_all(b"354 go on\r\n").await?;
                loop {
                    line.clear();
                    if lines.read_line(&mut line).await? == 0 {
                        return Ok(());
                    }
                    if line == ".\r\n" {
                        break;
                    }
                }
                write.write_all(b"250 accepted\r\n").await?;
            }
            "QUIT" => return write.write_all(b"221 bye\r\n").await,
            _ => write.write_all(b"250 ok\r\n").await?,
        }
    }
}

async fn serve_http(stream: TcpStream) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut reader = BufReader::new(read);
    let mut line = String::new();
    loop {
        let mut length = 0usize;
        loop {
            line.clear();
            if reader.read_line(&mut line).await? == 0 {
                return Ok(());
            }
            if line == "\r\n" {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).await?;
        write.write_all(b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n").await?;
    }
}
