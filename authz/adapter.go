package authz

import (
	"context"
	"fmt"

	"github.com/casbin/casbin/v2/model"
	"github.com/casbin/casbin/v2/persist"
	"github.com/uptrace/bun"
)

// maxFields is the number of value columns of casbin_rule (v0…v5).
const maxFields = 6

// insertBatch bounds the rows of one multi-row INSERT (7 parameters each,
// well under SQLite's and PostgreSQL's parameter limits).
const insertBatch = 1000

// casbinRule is one row of the casbin_rule table (migration
// 20261126000010_casbin): a policy "p" or a grant "g" with up to six
// values; unused values are the empty string so the unique index on all
// columns holds.
type casbinRule struct {
	bun.BaseModel `bun:"table:casbin_rule"`

	ID    int64  `bun:"id,pk,autoincrement"`
	Ptype string `bun:"ptype,notnull"`
	V0    string `bun:"v0,notnull"`
	V1    string `bun:"v1,notnull"`
	V2    string `bun:"v2,notnull"`
	V3    string `bun:"v3,notnull"`
	V4    string `bun:"v4,notnull"`
	V5    string `bun:"v5,notnull"`
}

func newRule(ptype string, rule []string) (casbinRule, error) {
	if len(rule) > maxFields {
		return casbinRule{}, fmt.Errorf("authz: rule %s %v has more than %d values", ptype, rule, maxFields)
	}
	var v [maxFields]string
	copy(v[:], rule)
	return casbinRule{Ptype: ptype, V0: v[0], V1: v[1], V2: v[2], V3: v[3], V4: v[4], V5: v[5]}, nil
}

func newRules(ptype string, rules [][]string) ([]casbinRule, error) {
	rows := make([]casbinRule, 0, len(rules))
	for _, r := range rules {
		row, err := newRule(ptype, r)
		if err != nil {
			return nil, err
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// values returns the rule without its trailing empty values.
func (r *casbinRule) values() []string {
	v := []string{r.V0, r.V1, r.V2, r.V3, r.V4, r.V5}
	for len(v) > 0 && v[len(v)-1] == "" {
		v = v[:len(v)-1]
	}
	return v
}

// where restricts q to rows equal to r in every column.
func (r *casbinRule) where(q *bun.DeleteQuery) *bun.DeleteQuery {
	return q.Where("ptype = ?", r.Ptype).
		Where("v0 = ?", r.V0).Where("v1 = ?", r.V1).Where("v2 = ?", r.V2).
		Where("v3 = ?", r.V3).Where("v4 = ?", r.V4).Where("v5 = ?", r.V5)
}

// Adapter is a Casbin persist.Adapter (and BatchAdapter, and their context
// variants) over the casbin_rule table through Bun. It works on whatever
// bun.IDB it is given — the shared *bun.DB or a caller's bun.Tx — and never
// closes it.
type Adapter struct {
	db bun.IDB
}

var (
	_ persist.Adapter             = (*Adapter)(nil)
	_ persist.BatchAdapter        = (*Adapter)(nil)
	_ persist.ContextAdapter      = (*Adapter)(nil)
	_ persist.ContextBatchAdapter = (*Adapter)(nil)
)

// NewAdapter returns an adapter storing rules through db.
func NewAdapter(db bun.IDB) *Adapter { return &Adapter{db: db} }

// LoadPolicyCtx adds every stored rule to m, in insertion order.
func (a *Adapter) LoadPolicyCtx(ctx context.Context, m model.Model) error {
	var rows []casbinRule
	if err := a.db.NewSelect().Model(&rows).OrderExpr("id").Scan(ctx); err != nil {
		return fmt.Errorf("authz: load rules: %w", err)
	}
	for i := range rows {
		line := append([]string{rows[i].Ptype}, rows[i].values()...)
		if err := persist.LoadPolicyArray(line, m); err != nil {
			return fmt.Errorf("authz: load rule %d %v: %w", rows[i].ID, line, err)
		}
	}
	return nil
}

// SavePolicyCtx replaces every stored rule with the rules of m, in one
// transaction (a savepoint when the adapter runs inside one).
func (a *Adapter) SavePolicyCtx(ctx context.Context, m model.Model) error {
	var rows []casbinRule
	for _, sec := range []string{"p", "g"} {
		for ptype, ast := range m[sec] {
			rs, err := newRules(ptype, ast.Policy)
			if err != nil {
				return err
			}
			rows = append(rows, rs...)
		}
	}
	return a.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewDelete().Model((*casbinRule)(nil)).Where("1 = 1").Exec(ctx); err != nil {
			return fmt.Errorf("authz: clear rules: %w", err)
		}
		return insertRules(ctx, tx, rows)
	})
}

// AddPolicyCtx stores one rule; storing a rule already present is a no-op.
func (a *Adapter) AddPolicyCtx(ctx context.Context, sec, ptype string, rule []string) error {
	row, err := newRule(ptype, rule)
	if err != nil {
		return err
	}
	return insertRules(ctx, a.db, []casbinRule{row})
}

// AddPoliciesCtx stores rules with multi-row inserts; rules already present
// are skipped.
func (a *Adapter) AddPoliciesCtx(ctx context.Context, sec, ptype string, rules [][]string) error {
	rows, err := newRules(ptype, rules)
	if err != nil {
		return err
	}
	return insertRules(ctx, a.db, rows)
}

// RemovePolicyCtx deletes one rule; deleting an absent rule is a no-op.
func (a *Adapter) RemovePolicyCtx(ctx context.Context, sec, ptype string, rule []string) error {
	row, err := newRule(ptype, rule)
	if err != nil {
		return err
	}
	if _, err := row.where(a.db.NewDelete().Model((*casbinRule)(nil))).Exec(ctx); err != nil {
		return fmt.Errorf("authz: remove rule: %w", err)
	}
	return nil
}

// RemovePoliciesCtx deletes rules, all or none.
func (a *Adapter) RemovePoliciesCtx(ctx context.Context, sec, ptype string, rules [][]string) error {
	rows, err := newRules(ptype, rules)
	if err != nil {
		return err
	}
	return a.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		for i := range rows {
			if _, err := rows[i].where(tx.NewDelete().Model((*casbinRule)(nil))).Exec(ctx); err != nil {
				return fmt.Errorf("authz: remove rule: %w", err)
			}
		}
		return nil
	})
}

// RemoveFilteredPolicyCtx deletes the rules of ptype whose values from
// fieldIndex on equal fieldValues; an empty value matches anything.
func (a *Adapter) RemoveFilteredPolicyCtx(ctx context.Context, sec, ptype string, fieldIndex int, fieldValues ...string) error {
	if fieldIndex < 0 || fieldIndex+len(fieldValues) > maxFields {
		return fmt.Errorf("authz: filter on fields %d..%d out of range", fieldIndex, fieldIndex+len(fieldValues)-1)
	}
	q := a.db.NewDelete().Model((*casbinRule)(nil)).Where("ptype = ?", ptype)
	for i, v := range fieldValues {
		if v != "" {
			q = q.Where("? = ?", bun.Ident(fmt.Sprintf("v%d", fieldIndex+i)), v)
		}
	}
	if _, err := q.Exec(ctx); err != nil {
		return fmt.Errorf("authz: remove rules: %w", err)
	}
	return nil
}

// insertRules inserts rows in batches, skipping rows already stored.
func insertRules(ctx context.Context, db bun.IDB, rows []casbinRule) error {
	for len(rows) > 0 {
		n := min(len(rows), insertBatch)
		batch := rows[:n]
		rows = rows[n:]
		_, err := db.NewInsert().Model(&batch).
			ExcludeColumn("id").
			On("CONFLICT DO NOTHING").
			Returning("NULL").
			Exec(ctx)
		if err != nil {
			return fmt.Errorf("authz: store rules: %w", err)
		}
	}
	return nil
}

// LoadPolicy implements persist.Adapter with a background context.
func (a *Adapter) LoadPolicy(m model.Model) error { return a.LoadPolicyCtx(context.Background(), m) }

// SavePolicy implements persist.Adapter with a background context.
func (a *Adapter) SavePolicy(m model.Model) error { return a.SavePolicyCtx(context.Background(), m) }

// AddPolicy implements persist.Adapter with a background context.
func (a *Adapter) AddPolicy(sec, ptype string, rule []string) error {
	return a.AddPolicyCtx(context.Background(), sec, ptype, rule)
}

// AddPolicies implements persist.BatchAdapter with a background context.
func (a *Adapter) AddPolicies(sec, ptype string, rules [][]string) error {
	return a.AddPoliciesCtx(context.Background(), sec, ptype, rules)
}

// RemovePolicy implements persist.Adapter with a background context.
func (a *Adapter) RemovePolicy(sec, ptype string, rule []string) error {
	return a.RemovePolicyCtx(context.Background(), sec, ptype, rule)
}

// RemovePolicies implements persist.BatchAdapter with a background context.
func (a *Adapter) RemovePolicies(sec, ptype string, rules [][]string) error {
	return a.RemovePoliciesCtx(context.Background(), sec, ptype, rules)
}

// RemoveFilteredPolicy implements persist.Adapter with a background context.
func (a *Adapter) RemoveFilteredPolicy(sec, ptype string, fieldIndex int, fieldValues ...string) error {
	return a.RemoveFilteredPolicyCtx(context.Background(), sec, ptype, fieldIndex, fieldValues...)
}
