//! Fuzzes DynamoDB's PartiQL parser: any text, parsed and (when it parses)
//! evaluated against a sample item, must never panic.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| cloudbox_dynamodb::partiql::fuzz_statement(data));
