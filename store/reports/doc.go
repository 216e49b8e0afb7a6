// Package reports stores the periodic reports of target areas, their
// revisions and history, the baselines, the materialised evaluations of the
// seven criteria, the exit proposals and decisions, the campaign calendar
// and indicator catalogue edits, and the idempotency keys of submissions.
//
// Every function takes its database as bun.IDB or runs its own transaction
// through Service, and every query is scoped in the query itself by the
// caller's scope (tenants.ScopeFromContext), failing closed. Rules live in
// domain/; this package loads, checks with them and writes, recording each
// change in the audit log in the same transaction.
package reports
