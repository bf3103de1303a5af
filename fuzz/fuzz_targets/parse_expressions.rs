//! Fuzzes DynamoDB's expression parser: any text, parsed as every kind of
//! expression and then evaluated, applied and projected, must never panic.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| cloudbox_dynamodb::expr::fuzz_parse_expressions(data));
