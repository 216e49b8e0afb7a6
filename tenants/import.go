package tenants

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"chuyenhoa/domain"
)

// ImportRow is one line of a units CSV: code, name, kind, parent_code and
// an optional unit_type.
type ImportRow struct {
	Line       int
	Code       string
	Name       string
	Kind       string
	ParentCode string
	UnitType   string
}

// ImportError names one bad line and field of an import.
type ImportError struct {
	Line    int    `json:"line"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

// ImportResult counts what an import created.
type ImportResult struct {
	Created int            `json:"created"`
	ByKind  map[string]int `json:"by_kind"`
}

// ParseCSV reads a units CSV. The header row (code,name,kind,parent_code
// [,unit_type]) is required so that columns are never guessed. Row errors
// are returned as ImportErrors; a file that is not CSV at all is an error.
func ParseCSV(r io.Reader) ([]ImportRow, []ImportError, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil, fileError("Tệp CSV trống", ImportError{Line: 1, Field: "file", Message: "Tệp không có dòng nào"})
	} else if err != nil {
		return nil, nil, fileError("Tệp CSV không đọc được", ImportError{Line: 1, Field: "header", Message: "Dòng tiêu đề sai định dạng: " + err.Error()})
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	for _, need := range []string{"code", "name", "kind", "parent_code"} {
		if _, ok := col[need]; !ok {
			return nil, nil, fileError("Thiếu cột "+need+" trong dòng tiêu đề",
				ImportError{Line: 1, Field: "header", Message: "Thiếu cột " + need + ": dòng 1 phải có các cột code,name,kind,parent_code"})
		}
	}
	get := func(rec []string, name string) string {
		i, ok := col[name]
		if !ok || i >= len(rec) {
			return ""
		}
		return strings.TrimSpace(rec[i])
	}
	var rows []ImportRow
	var bad []ImportError
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				// StartLine is the record's first line; FieldPos must not
				// be asked here, as a record that failed in its first
				// field has no positions (it panics).
				bad = append(bad, ImportError{Line: pe.StartLine, Field: "file", Message: "Dòng CSV sai định dạng: " + pe.Err.Error()})
				continue
			}
			return nil, nil, err
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		rows = append(rows, ImportRow{Line: line, Code: get(rec, "code"), Name: get(rec, "name"), Kind: strings.ToLower(get(rec, "kind")),
			ParentCode: get(rec, "parent_code"), UnitType: get(rec, "unit_type")})
	}
	return rows, bad, nil
}

type importNode struct {
	row    *ImportRow
	parent *importNode
	dbPar  *Unit
	level  int
	unit   *Unit
}

// Import creates all rows in one transaction under parents inside the
// caller's scope (parents may be earlier, later or already stored). Any bad
// row — unknown parent, duplicate code, bad kind, cycle — refuses the whole
// file with an EINVALID error whose Detail lists every bad line, and the
// tree stays exactly as it was. progress, when set, is called as rows are
// written. parseErrors from ParseCSV are reported together with the rest.
func (s *Units) Import(ctx context.Context, rows []ImportRow, parseErrors []ImportError, progress func(done, total int)) (*ImportResult, error) {
	scope, err := ScopeFromContext(ctx)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 && len(parseErrors) > 0 {
		// Every line was unreadable: name those lines, not "no rows".
		return nil, ImportFailed(parseErrors)
	}
	var res *ImportResult
	err = s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		nodes, bad, err := planImport(ctx, tx, scope, rows)
		if err != nil {
			return err
		}
		bad = append(bad, parseErrors...)
		if len(bad) > 0 {
			return ImportFailed(bad)
		}
		if res, err = writeImport(ctx, tx, nodes, s.now(), progress); err != nil {
			return err
		}
		return s.audit(ctx, tx, "unit.import", importRoot(ctx, tx, scope), nil, res)
	})
	return res, err
}

// fileError is an EINVALID error about the file as a whole, with the same
// per-line Detail as ImportFailed so that clients read one shape.
func fileError(message string, e ImportError) error {
	return &domain.Error{Code: domain.EINVALID, Message: message, Fields: map[string]string{e.Field: e.Message}, Detail: []ImportError{e}}
}

// ImportFailed returns the EINVALID error listing every bad line.
func ImportFailed(bad []ImportError) error {
	sort.SliceStable(bad, func(i, j int) bool { return bad[i].Line < bad[j].Line })
	fields := map[string]string{}
	for _, b := range bad {
		k := fmt.Sprintf("line %d: %s", b.Line, b.Field)
		if _, ok := fields[k]; !ok {
			fields[k] = b.Message
		}
	}
	return &domain.Error{Code: domain.EINVALID, Message: fmt.Sprintf("Tệp có %d dòng lỗi; chưa nhập dòng nào", countLines(bad)), Fields: fields, Detail: bad}
}

func countLines(bad []ImportError) int {
	seen := map[int]bool{}
	for _, b := range bad {
		seen[b.Line] = true
	}
	return len(seen)
}

func planImport(ctx context.Context, tx bun.IDB, scope Scope, rows []ImportRow) ([]*importNode, []ImportError, error) {
	var bad []ImportError
	add := func(line int, field, msg string) {
		bad = append(bad, ImportError{Line: line, Field: field, Message: msg})
	}
	if len(rows) == 0 {
		return nil, []ImportError{{Line: 1, Field: "file", Message: "Tệp không có dòng dữ liệu nào"}}, nil
	}
	byCode := make(map[string]*importNode, len(rows))
	nodes := make([]*importNode, 0, len(rows))
	for i := range rows {
		r := &rows[i]
		ok := true
		if !validCode(r.Code) {
			add(r.Line, "code", "Mã đơn vị phải gồm 1–20 chữ số hoặc chữ cái")
			ok = false
		}
		if msg := validateName(r.Name); msg != "" {
			add(r.Line, "name", msg)
		}
		if msg := validateUnitType(r.UnitType); msg != "" {
			add(r.Line, "unit_type", msg)
		}
		if !ValidKind(r.Kind) {
			add(r.Line, "kind", fmt.Sprintf("Loại %q không hợp lệ: phải là province, district hoặc ward", r.Kind))
		}
		if r.ParentCode == r.Code && r.Code != "" {
			add(r.Line, "parent_code", "Đơn vị không thể là cấp trên của chính nó (vòng lặp)")
			ok = false
		}
		if !ok {
			continue
		}
		if prev, dup := byCode[r.Code]; dup {
			add(r.Line, "code", fmt.Sprintf("Mã %s trùng với dòng %d", r.Code, prev.row.Line))
			continue
		}
		n := &importNode{row: r}
		byCode[r.Code] = n
		nodes = append(nodes, n)
	}
	// Codes already stored anywhere (codes are national) are duplicates.
	codes := make([]string, 0, len(nodes))
	for _, n := range nodes {
		codes = append(codes, n.row.Code)
	}
	existing, err := existingCodes(ctx, tx, codes)
	if err != nil {
		return nil, nil, err
	}
	for _, n := range nodes {
		if existing[n.row.Code] {
			add(n.row.Line, "code", fmt.Sprintf("Mã %s đã có trong hệ thống", n.row.Code))
		}
	}
	// Parents outside the file are looked up inside the caller's scope only.
	var outside []string
	for _, n := range nodes {
		// A parent code that cannot be a code is reported as unknown
		// below without reaching the database.
		if p := n.row.ParentCode; p != "" && byCode[p] == nil && validCode(p) {
			outside = append(outside, p)
		}
	}
	dbParents, err := scopedUnitsByCode(ctx, tx, scope, outside)
	if err != nil {
		return nil, nil, err
	}
	for _, n := range nodes {
		p := n.row.ParentCode
		switch {
		case p == "":
			if !scope.All {
				add(n.row.Line, "parent_code", "Chỉ quản trị nền tảng được tạo tỉnh (dòng không có đơn vị cấp trên)")
			}
		case byCode[p] != nil:
			n.parent = byCode[p]
		case dbParents[p] != nil:
			n.dbPar = dbParents[p]
		default:
			add(n.row.Line, "parent_code", fmt.Sprintf("Không tìm thấy đơn vị cấp trên mã %s", p))
		}
	}
	// Cycles: walk each chain of in-file parents with a colouring.
	const (
		white = iota
		grey
		black
	)
	colour := make(map[*importNode]int, len(nodes))
	for _, start := range nodes {
		var chain []*importNode
		n := start
		for n != nil && colour[n] == white {
			colour[n] = grey
			chain = append(chain, n)
			n = n.parent
		}
		if n != nil && colour[n] == grey {
			// n is on a cycle: mark every member.
			m := n
			for {
				add(m.row.Line, "parent_code", "Quan hệ cấp trên tạo thành vòng lặp")
				m.parent = nil
				m = findCycleNext(chain, m)
				if m == nil || m == n {
					break
				}
			}
		}
		for _, c := range chain {
			colour[c] = black
		}
	}
	// Levels and kinds along the (now acyclic) chains.
	for _, n := range nodes {
		level(n)
		pk := ""
		switch {
		case n.parent != nil:
			pk = n.parent.row.Kind
		case n.dbPar != nil:
			pk = n.dbPar.Kind
		case n.row.ParentCode != "":
			continue // already reported
		}
		if ValidKind(n.row.Kind) && ValidKind(pk) || pk == "" && ValidKind(n.row.Kind) {
			if !validParent(n.row.Kind, pk) {
				add(n.row.Line, "kind", fmt.Sprintf("Đơn vị loại %s không thể trực thuộc %s", n.row.Kind, orNone(pk)))
			}
		}
	}
	return nodes, bad, nil
}

func findCycleNext(chain []*importNode, m *importNode) *importNode {
	for _, c := range chain {
		if c.row.Code == m.row.ParentCode {
			return c
		}
	}
	return nil
}

func level(n *importNode) int {
	if n.level > 0 || n.parent == nil {
		return n.level
	}
	n.level = level(n.parent) + 1
	return n.level
}

func existingCodes(ctx context.Context, db bun.IDB, codes []string) (map[string]bool, error) {
	out := map[string]bool{}
	for i := 0; i < len(codes); i += 500 {
		chunk := codes[i:min(i+500, len(codes))]
		var found []string
		if err := db.NewSelect().Model((*Unit)(nil)).Column("code").Where("code IN (?)", bun.In(chunk)).Scan(ctx, &found); err != nil {
			return nil, err
		}
		for _, c := range found {
			out[c] = true
		}
	}
	return out, nil
}

func scopedUnitsByCode(ctx context.Context, db bun.IDB, scope Scope, codes []string) (map[string]*Unit, error) {
	out := map[string]*Unit{}
	for i := 0; i < len(codes); i += 500 {
		chunk := codes[i:min(i+500, len(codes))]
		var units []*Unit
		q := scope.WherePath(db.NewSelect().Model(&units).Where("u.code IN (?)", bun.In(chunk)), "u.path")
		if err := q.Scan(ctx); err != nil {
			return nil, err
		}
		for _, u := range units {
			out[u.Code] = u
		}
	}
	return out, nil
}

func writeImport(ctx context.Context, tx bun.IDB, nodes []*importNode, now time.Time, progress func(done, total int)) (*ImportResult, error) {
	res := &ImportResult{ByKind: map[string]int{}}
	maxLevel := 0
	for _, n := range nodes {
		maxLevel = max(maxLevel, n.level)
	}
	done := 0
	for lv := 0; lv <= maxLevel; lv++ {
		var batch []*Unit
		for _, n := range nodes {
			if n.level != lv {
				continue
			}
			u := &Unit{Code: n.row.Code, Name: n.row.Name, NameFolded: Fold(n.row.Name), Kind: n.row.Kind, UnitType: n.row.UnitType,
				Path: "tmp:" + n.row.Code, CreatedAt: now, UpdatedAt: now}
			switch {
			case n.parent != nil:
				u.ParentID = &n.parent.unit.ID
				u.Depth = n.parent.unit.Depth + 1
			case n.dbPar != nil:
				u.ParentID = &n.dbPar.ID
				u.Depth = n.dbPar.Depth + 1
			}
			n.unit = u
			batch = append(batch, u)
		}
		for i := 0; i < len(batch); i += 1000 {
			chunk := batch[i:min(i+1000, len(batch))]
			if _, err := tx.NewInsert().Model(&chunk).Returning("NULL").Exec(ctx); err != nil {
				return nil, err
			}
			// Neither database promises RETURNING rows in VALUES order, so
			// the new ids are read back by code.
			if err := readBackIDs(ctx, tx, chunk); err != nil {
				return nil, err
			}
			done += len(chunk)
			if progress != nil {
				progress(done, len(nodes))
			}
		}
		// Paths need the new ids, and a parent's path is final before its
		// children's level is written.
		if _, err := tx.NewUpdate().Model((*Unit)(nil)).
			Set("path = CASE WHEN parent_id IS NULL THEN '/' || CAST(id AS TEXT) || '/' ELSE (SELECT p.path FROM units AS p WHERE p.id = u.parent_id) || CAST(id AS TEXT) || '/' END").
			Set("tenant_id = CASE WHEN parent_id IS NULL THEN id ELSE (SELECT p.tenant_id FROM units AS p WHERE p.id = u.parent_id) END").
			Where("path LIKE 'tmp:%'").Where("depth >= 0").Exec(ctx); err != nil {
			return nil, err
		}
		for _, u := range batch {
			res.Created++
			res.ByKind[u.Kind]++
		}
	}
	return res, nil
}

// importRoot is the unit an import is recorded against: the caller's own
// unit (nil for the platform scope).
func importRoot(ctx context.Context, tx bun.IDB, scope Scope) *Unit {
	if scope.All {
		return nil
	}
	u, err := FindUnitByID(ctx, tx, scope.UnitID)
	if err != nil {
		return nil
	}
	return u
}

func readBackIDs(ctx context.Context, db bun.IDB, chunk []*Unit) error {
	byCode := make(map[string]*Unit, len(chunk))
	codes := make([]string, 0, len(chunk))
	for _, u := range chunk {
		byCode[u.Code] = u
		codes = append(codes, u.Code)
	}
	for i := 0; i < len(codes); i += 500 {
		var rows []struct {
			ID   int64  `bun:"id"`
			Code string `bun:"code"`
		}
		if err := db.NewSelect().Table("units").Column("id", "code").Where("code IN (?)", bun.In(codes[i:min(i+500, len(codes))])).Scan(ctx, &rows); err != nil {
			return err
		}
		for _, r := range rows {
			byCode[r.Code].ID = r.ID
		}
	}
	return nil
}
