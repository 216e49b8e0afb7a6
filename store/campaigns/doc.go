// Package campaigns stores campaigns, target areas and their history,
// plans (objectives, tasks, progress notes, budget lines), steering
// committees, self-management models and attachment records through Bun.
//
// Every function takes a bun.IDB so it composes inside db.RunInTx, and every
// query carries the caller's scope in the query itself (tenants.WhereUnit,
// tenants.WherePathCtx or the tenant of the scope): without a scope in the
// context a query fails closed with EFORBIDDEN instead of returning all rows.
// Callers record the audit entry of a write in the same transaction.
package campaigns
