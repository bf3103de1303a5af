//! BatchGetItem and BatchWriteItem.
