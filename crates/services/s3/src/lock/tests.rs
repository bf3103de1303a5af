use super::rules::*;

const NOW: i64 = 1_700_000_000_000;

fn retention(mode: &str, until: i64) -> LockRecord {
    LockRecord { mode: Some(mode.into()), retain_until_ms: Some(until), legal_hold: false }
}

#[test]
fn retention_and_legal_hold_protect_a_version() {
    assert_eq!(LockRecord::default().may_delete(false, NOW), Ok(()));
    let governance = retention(GOVERNANCE, NOW + 1);
    assert_eq!(governance.may_delete(false, NOW), Err(Refusal::Protected));
    assert_eq!(governance.may_delete(true, NOW), Ok(()));
    assert_eq!(governance.may_delete(false, NOW + 1), Ok(()));
    let compliance = retention(COMPLIANCE, NOW + 1);
    assert_eq!(compliance.may_delete(true, NOW), Err(Refusal::Protected));
    let held = LockRecord { legal_hold: true, ..LockRecord::default() };
    assert_eq!(held.may_delete(true, NOW), Err(Refusal::Protected));
}

#[test]
fn retention_may_grow_but_only_governance_shrinks_with_bypass() {
    let governance = retention(GOVERNANCE, NOW + 100);
    assert_eq!(may_set_retention(&governance, Some((GOVERNANCE, NOW + 200)), false, NOW), Ok(()));
    assert_eq!(may_set_retention(&governance, Some((COMPLIANCE, NOW + 100)), false, NOW), Err(Refusal::Protected));
    assert_eq!(may_set_retention(&governance, Some((COMPLIANCE, NOW + 100)), true, NOW), Ok(()));
    assert_eq!(may_set_retention(&governance, Some((GOVERNANCE, NOW + 50)), false, NOW), Err(Refusal::Protected));
    assert_eq!(may_set_retention(&governance, Some((GOVERNANCE, NOW + 50)), true, NOW), Ok(()));
    assert_eq!(may_set_retention(&governance, None, true, NOW), Ok(()));
    let compliance = retention(COMPLIANCE, NOW + 100);
    assert_eq!(may_set_retention(&compliance, Some((COMPLIANCE, NOW + 200)), false, NOW), Ok(()));
    assert_eq!(may_set_retention(&compliance, Some((GOVERNANCE, NOW + 200)), true, NOW), Err(Refusal::Protected));
    assert_eq!(may_set_retention(&compliance, None, true, NOW), Err(Refusal::Protected));
    assert_eq!(may_set_retention(&compliance, Some((COMPLIANCE, NOW + 200)), false, NOW + 100), Ok(()));
    assert_eq!(may_set_retention(&LockRecord::default(), Some((GOVERNANCE, NOW)), false, NOW), Err(Refusal::PastDate));
}

#[test]
fn default_retention_counts_days_or_years_from_creation() {
    assert_eq!(default_retain_until(NOW, Some(2), None), Some(NOW + 2 * 86_400_000));
    let year = default_retain_until(0, None, Some(1)).expect("a date");
    assert_eq!(year, 365 * 86_400_000);
    assert_eq!(default_retain_until(NOW, None, None), None);
}
