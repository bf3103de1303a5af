//! Fuzzes the `smithy-rpc-v2-cbor` wire's decoder with CloudWatch requests.

#![no_main]

use cloudbox_fuzz::{Target, run};
use cloudbox_protocol::Wire;
use libfuzzer_sys::fuzz_target;

const TARGETS: &[Target] = &[
    Target {
        service: "cloudwatch",
        operation: "PutMetricData",
        default_path: "/service/GraniteServiceVersion20100801/operation/PutMetricData",
    },
    Target {
        service: "cloudwatch",
        operation: "GetMetricData",
        default_path: "/service/GraniteServiceVersion20100801/operation/GetMetricData",
    },
    Target {
        service: "cloudwatch",
        operation: "PutMetricAlarm",
        default_path: "/service/GraniteServiceVersion20100801/operation/PutMetricAlarm",
    },
    Target {
        service: "cloudwatch",
        operation: "PutDashboard",
        default_path: "/service/GraniteServiceVersion20100801/operation/PutDashboard",
    },
];

fuzz_target!(|data: &[u8]| run(Wire::Cbor, TARGETS, data));
