//! Fuzzes the `query` wire's decoder with IAM, STS and SNS requests.

#![no_main]

use cloudbox_fuzz::{Target, run};
use cloudbox_protocol::Wire;
use libfuzzer_sys::fuzz_target;

const TARGETS: &[Target] = &[
    Target { service: "iam", operation: "CreateUser", default_path: "/" },
    Target { service: "iam", operation: "PutUserPolicy", default_path: "/" },
    Target { service: "sts", operation: "AssumeRole", default_path: "/" },
    Target { service: "sns", operation: "Publish", default_path: "/" },
    Target { service: "cloudwatch", operation: "PutMetricData", default_path: "/" },
];

fuzz_target!(|data: &[u8]| run(Wire::Query, TARGETS, data));
