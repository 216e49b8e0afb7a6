package tenants

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"chuyenhoa/domain"
	"chuyenhoa/tenants/official"
)

// OfficialRows returns the rows of the embedded official list named list
// ("2025" or "2019"), cut to the given provinces with their subtrees (the
// whole list when none is given). Errors: EINVALID naming "official" for an
// unknown list, "province" for a province the list lacks.
func OfficialRows(list string, provinceCodes ...string) ([]ImportRow, error) {
	var units []official.Unit
	if len(provinceCodes) == 0 {
		all, err := official.UnitsOf(list)
		if err != nil {
			return nil, unknownList(list)
		}
		units = all
	}
	for _, code := range provinceCodes {
		sub, ok, err := official.Province(list, strings.TrimSpace(code))
		if err != nil {
			return nil, unknownList(list)
		}
		if !ok {
			return nil, domain.Invalid("Dữ liệu không hợp lệ", map[string]string{
				"province": fmt.Sprintf("Danh mục %s không có tỉnh, thành phố mã %q", list, code)})
		}
		units = append(units, sub...)
	}
	rows := make([]ImportRow, 0, len(units))
	for _, u := range units {
		rows = append(rows, ImportRow{Line: u.Line, Code: u.Code, Name: u.Name, Kind: u.Kind, ParentCode: u.ParentCode, UnitType: u.UnitType})
	}
	return rows, nil
}

// OfficialProvinces returns the provinces of the embedded official list
// named list; EINVALID naming "official" for an unknown list.
func OfficialProvinces(list string) ([]official.Unit, error) {
	ps, err := official.Provinces(list)
	if err != nil {
		return nil, unknownList(list)
	}
	return ps, nil
}

func unknownList(list string) error {
	return domain.Invalid("Dữ liệu không hợp lệ", map[string]string{
		"official": fmt.Sprintf("Không có danh mục %q: chọn %s", list, strings.Join(official.Lists(), " hoặc "))})
}

// ImportOfficial creates provinces with all their districts and wards from
// the embedded official list in one transaction (the platform scope only),
// audited as one import. A province whose code is already stored is
// refused with ECONFLICT before anything is written.
func (s *Units) ImportOfficial(ctx context.Context, list string, provinceCodes []string, progress func(done, total int)) (*ImportResult, error) {
	var res *ImportResult
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if _, res, err = ImportOfficialTx(ctx, tx, list, provinceCodes, s.now(), progress); err != nil {
			return err
		}
		return s.audit(ctx, tx, "unit.import", nil, nil, map[string]any{"official": list, "provinces": provinceCodes, "result": res})
	})
	return res, err
}

// ImportOfficialTx is ImportOfficial inside the caller's transaction; it
// returns the stored provinces in the order asked (every province of the
// list when none is named).
func ImportOfficialTx(ctx context.Context, tx bun.IDB, list string, provinceCodes []string, now time.Time, progress func(done, total int)) ([]*Unit, *ImportResult, error) {
	scope, err := ScopeFromContext(ctx)
	if err != nil {
		return nil, nil, err
	}
	if !scope.All {
		return nil, nil, domain.Errorf(domain.EFORBIDDEN, "chỉ quản trị nền tảng được tạo tỉnh")
	}
	rows, err := OfficialRows(list, provinceCodes...)
	if err != nil {
		return nil, nil, err
	}
	var codes []string
	for _, r := range rows {
		if r.Kind == KindProvince {
			codes = append(codes, r.Code)
		}
	}
	existing, err := existingCodes(ctx, tx, codes)
	if err != nil {
		return nil, nil, err
	}
	for _, c := range codes {
		if existing[c] {
			return nil, nil, &domain.Error{Code: domain.ECONFLICT, Message: "Tỉnh, thành phố đã có trong hệ thống",
				Fields: map[string]string{"province": "Mã " + c + " đã được dùng: tỉnh này đã được tạo"}}
		}
	}
	nodes, bad, err := planImport(ctx, tx, scope, rows)
	if err != nil {
		return nil, nil, err
	}
	if len(bad) > 0 {
		return nil, nil, ImportFailed(bad)
	}
	res, err := writeImport(ctx, tx, nodes, now, progress)
	if err != nil {
		return nil, nil, err
	}
	provinces := make([]*Unit, 0, len(codes))
	for _, n := range nodes {
		if n.row.Kind == KindProvince {
			provinces = append(provinces, n.unit)
		}
	}
	// writeImport sets the paths in SQL; read the provinces back so that
	// callers get them as stored.
	for i, p := range provinces {
		u := new(Unit)
		if err := tx.NewSelect().Model(u).Where("u.id = ?", p.ID).Scan(ctx); err != nil {
			return nil, nil, err
		}
		provinces[i] = u
	}
	return provinces, res, nil
}
