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
async fn s3_over_https() {
    let server = on_disk();
    let config = aws_sdk_s3::config::Builder::from(&server.https_sdk("localhost").build()).force_path_style(true);
    let s3 = aws_sdk_s3::Client::from_conf(config.build());
    s3.create_bucket().bucket("secure-bucket").send().await.unwrap();
    let listed = s3.list_buckets().send().await.unwrap();
    let names: Vec<_> = listed.buckets().iter().filter_map(|b| b.name()).collect();
    assert_eq!(names, ["secure-bucket"]);
}

#[tokio::test]
async fn untrusted_certificate_is_refused() {
    let server = on_disk();
    let untrusted = server.sdk().endpoint(format!("https://localhost:{}", server.port())).build();
    let err = Sts::new(&untrusted).get_caller_identity().send().await.unwrap_err();
    assert!(err.raw_response().is_none(), "no HTTP answer without a trusted certificate: {err:?}");
    assert!(format!("{err:?}").contains("Certificate"), "{err:?}");
}
