//! Table ARNs: the one place that writes `arn:aws:dynamodb:<region>:<account>:table/<name>`
//! and reads a table name (and what follows it, such as `/backup/<id>`) back out of one.

use cloudbox_core::RequestContext;

/// The ARN of the table `name` in the caller's account and region.
pub fn table_arn(ctx: &RequestContext, name: &str) -> String {
    format!("{}{name}", table_arn_prefix(ctx))
}

fn table_arn_prefix(ctx: &RequestContext) -> String {
    format!("arn:aws:dynamodb:{}:{}:table/", ctx.region, ctx.account)
}

/// What follows `table/` in an ARN of the caller's account and region
/// (`<name>`, or `<name>/backup/<id>` and the like); `None` for any other ARN.
pub fn resource_after_table<'a>(ctx: &RequestContext, arn: &'a str) -> Option<&'a str> {
    arn.strip_prefix(&table_arn_prefix(ctx))
}

/// The table name a table ARN of the caller's account and region names.
pub fn table_name_of_arn<'a>(ctx: &RequestContext, arn: &'a str) -> Option<&'a str> {
    resource_after_table(ctx, arn).filter(|name| !name.is_empty() && !name.contains('/'))
}

/// The table name a `TableName` member holds: a name, or a table ARN.
pub fn table_name_in(name_or_arn: &str) -> &str {
    match name_or_arn.strip_prefix("arn:") {
        Some(_) => name_or_arn.rsplit_once(":table/").map_or(name_or_arn, |(_, name)| name),
        None => name_or_arn,
    }
}
