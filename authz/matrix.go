package authz

import (
	_ "embed"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
)

//go:embed model.conf
var modelConf string

//go:embed policy.csv
var policyCSV string

// Roles a user can hold.
const (
	// RoleProvince is held at a province unit.
	RoleProvince = "province"
	// RoleDistrict is held at a district unit.
	RoleDistrict = "district"
	// RoleWard is held at a ward unit.
	RoleWard = "ward"
	// RolePolice is held at any unit by its police (the committee's standing agency).
	RolePolice = "police"
	// RoleAdmin is held on the platform (no unit).
	RoleAdmin = "admin"
)

// Roles lists every role, in the order the matrix shows them.
var Roles = [...]string{RoleProvince, RoleDistrict, RoleWard, RolePolice, RoleAdmin}

// ValidRole reports whether role is one of Roles.
func ValidRole(role string) bool { return slices.Contains(Roles[:], role) }

// Permission is one row of the permission matrix.
type Permission struct {
	// Name is the permission as code spells it, "resource:verb".
	Name string
	// Resource and Verb are the two halves of Name (Casbin's obj and act).
	Resource, Verb string
	// Roles holds the roles granted it, in the order of Roles.
	Roles []string
}

// policy is the parsed policy.csv: rules in file order.
type policy struct {
	rules [][]string // each {role, resource, verb}
	perms []Permission
}

var loadPolicy = sync.OnceValues(func() (*policy, error) { return parsePolicy(policyCSV) })

// parsePolicy reads "p, ROLE, RESOURCE, VERB" lines, refusing unknown
// roles, duplicates and anything else.
func parsePolicy(text string) (*policy, error) {
	r := csv.NewReader(strings.NewReader(text))
	r.Comment = '#'
	r.TrimLeadingSpace = true
	r.FieldsPerRecord = -1
	p := &policy{}
	index := map[string]int{}
	seen := map[string]bool{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		} else if err != nil {
			return nil, fmt.Errorf("authz: policy.csv: %w", err)
		}
		line, _ := r.FieldPos(0)
		if len(rec) != 4 || rec[0] != "p" {
			return nil, fmt.Errorf("authz: policy.csv line %d: want \"p, ROLE, RESOURCE, VERB\", got %q", line, rec)
		}
		role, res, verb := rec[1], rec[2], rec[3]
		switch {
		case !ValidRole(role):
			return nil, fmt.Errorf("authz: policy.csv line %d: unknown role %q", line, role)
		case res == "" || verb == "" || strings.ContainsAny(res+verb, ": "):
			return nil, fmt.Errorf("authz: policy.csv line %d: bad permission %q:%q", line, res, verb)
		}
		name := res + ":" + verb
		if seen[role+" "+name] {
			return nil, fmt.Errorf("authz: policy.csv line %d: %s %s repeated", line, role, name)
		}
		seen[role+" "+name] = true
		p.rules = append(p.rules, []string{role, res, verb})
		i, ok := index[name]
		if !ok {
			i = len(p.perms)
			index[name] = i
			p.perms = append(p.perms, Permission{Name: name, Resource: res, Verb: verb})
		}
		p.perms[i].Roles = append(p.perms[i].Roles, role)
	}
	for i := range p.perms {
		slices.SortFunc(p.perms[i].Roles, func(a, b string) int {
			return slices.Index(Roles[:], a) - slices.Index(Roles[:], b)
		})
	}
	return p, nil
}

// Permissions returns the permission matrix of policy.csv, one entry per
// permission in the order of the file.
func Permissions() []Permission {
	p, err := loadPolicy()
	if err != nil {
		panic(err) // the embedded file is checked by the tests
	}
	out := make([]Permission, len(p.perms))
	for i, perm := range p.perms {
		perm.Roles = slices.Clone(perm.Roles)
		out[i] = perm
	}
	return out
}

// MatrixMarkdown renders the permission matrix as a Markdown table: one row
// per permission, one column per role, ✓ where the role holds it.
func MatrixMarkdown() string {
	var b strings.Builder
	b.WriteString("| permission |")
	for _, r := range Roles {
		fmt.Fprintf(&b, " `%s` |", r)
	}
	b.WriteString("\n|---|")
	for range Roles {
		b.WriteString(":-:|")
	}
	b.WriteString("\n")
	for _, p := range Permissions() {
		fmt.Fprintf(&b, "| `%s` |", p.Name)
		for _, r := range Roles {
			if slices.Contains(p.Roles, r) {
				b.WriteString(" ✓ |")
			} else {
				b.WriteString("   |")
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}
