//! Fuzzes the `ec2` wire's decoder with EC2 requests.

#![no_main]

use cloudbox_fuzz::{Target, run};
use cloudbox_protocol::Wire;
use libfuzzer_sys::fuzz_target;

const TARGETS: &[Target] = &[
    Target { service: "ec2", operation: "DescribeRegions", default_path: "/" },
    Target { service: "ec2", operation: "RunInstances", default_path: "/" },
    Target { service: "ec2", operation: "DescribeInstances", default_path: "/" },
    Target { service: "ec2", operation: "AuthorizeSecurityGroupIngress", default_path: "/" },
];

fuzz_target!(|data: &[u8]| run(Wire::Ec2, TARGETS, data));
