//! Fuzzes the `json` wire's decoder with DynamoDB, Kinesis, SQS and CloudWatch requests.

#![no_main]

use cloudbox_fuzz::{Target, run};
use cloudbox_protocol::Wire;
use libfuzzer_sys::fuzz_target;

const TARGETS: &[Target] = &[
    Target { service: "dynamodb", operation: "PutItem", default_path: "/" },
    Target { service: "dynamodb", operation: "GetItem", default_path: "/" },
    Target { service: "dynamodb", operation: "Query", default_path: "/" },
    Target { service: "dynamodb", operation: "BatchWriteItem", default_path: "/" },
    Target { service: "dynamodb", operation: "TransactWriteItems", default_path: "/" },
    Target { service: "kinesis", operation: "PutRecords", default_path: "/" },
    Target { service: "sqs", operation: "SendMessageBatch", default_path: "/" },
    Target { service: "cloudwatch", operation: "PutMetricData", default_path: "/" },
];

fuzz_target!(|data: &[u8]| run(Wire::Json, TARGETS, data));
