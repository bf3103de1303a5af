//! Fuzzes the `rest-xml` wire's decoder with Route 53 and CloudFront requests.

#![no_main]

use cloudbox_fuzz::{Target, run};
use cloudbox_protocol::Wire;
use libfuzzer_sys::fuzz_target;

const TARGETS: &[Target] = &[
    Target {
        service: "route53",
        operation: "ChangeResourceRecordSets",
        default_path: "/2013-04-01/hostedzone/Z1/rrset/",
    },
    Target { service: "route53", operation: "ListHostedZones", default_path: "/2013-04-01/hostedzone" },
    Target { service: "route53", operation: "CreateHostedZone", default_path: "/2013-04-01/hostedzone" },
    Target { service: "cloudfront", operation: "CreateDistribution", default_path: "/2020-05-31/distribution" },
];

fuzz_target!(|data: &[u8]| run(Wire::RestXml, TARGETS, data));
