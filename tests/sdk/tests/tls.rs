//! HTTPS on the same port as HTTP, through the SDK's rustls client trusting
//! only the server's self-signed certificate (`<data dir>/tls/cert.pem`).

use aws_sdk_sts::Client as Sts;
use cloudbox_sdk_tests::{Cloudbox, Options};

fn on_disk() -> Cloudbox {
    Cloudbox::start_with(Options { on_disk: true, ..Options::default() })
}

#[tokio::test]
async fn https_by_host_name_and_by_address() {
    let server = on_disk();
    for host in ["localhost", "127.0.0.1"] {
        let sts = Sts::new(&server.https_sdk(host).build());
        let who = sts.get_caller_identity().send().await.unwrap_or_else(|e| panic!("{host}: {e:?}"));
        assert_eq!(who.account(), Some("000000000000"), "{host}");
    }
    let plain = Sts::new(&server.config()).get_caller_identity().send().await.unwrap();
    assert_eq!(plain.account(), Some("000000000000"), "plain HTTP on the same port");
}

#[tokio::test]
async fn untrusted_certificate_is_refused() {
    let server = on_disk();
    let untrusted = server.sdk().endpoint(format!("https://localhost:{}", server.port())).build();
    let err = Sts::new(&untrusted).get_caller_identity().send().await.unwrap_err();
    assert!(err.raw_response().is_none(), "no HTTP answer without a trusted certificate: {err:?}");
    assert!(format!("{err:?}").contains("Certificate"), "{err:?}");
}
