package domain_test

import (
	"math"
	"testing"

	"chuyenhoa/domain"
)

func TestPositions(t *testing.T) {
	want := map[string]string{
		domain.PositionHead:           "Trưởng ban",
		domain.PositionStandingDeputy: "Phó Trưởng ban thường trực",
		domain.PositionDeputy:         "Phó Trưởng ban",
		domain.PositionMember:         "Thành viên",
	}
	for _, p := range domain.CommitteePositions() {
		if got := domain.PositionLabel(p); got != want[p] {
			t.Errorf("PositionLabel(%q) = %q, want %q", p, got, want[p])
		}
	}
}

func TestValidateCommittee(t *testing.T) {
	ok := []domain.CommitteeMember{
		{FullName: "Nguyễn Đại Lượng", Position: domain.PositionHead, JobTitle: "Chủ tịch UBND thị xã"},
		{FullName: "Trưởng Công an thị xã", Position: domain.PositionStandingDeputy, Phone: "0204 3874 123"},
		{FullName: "Phó Chủ tịch UBND thị xã", Position: domain.PositionDeputy},
		{FullName: "Thành viên A", Position: domain.PositionMember, TargetAreaIDs: []int64{1}},
		{FullName: "Thành viên B", Position: domain.PositionMember, Phone: "+84 912.345.678"},
	}
	if err := domain.ValidateCommittee(ok); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name  string
		edit  func(m []domain.CommitteeMember)
		field string
	}{
		{"empty name", func(m []domain.CommitteeMember) { m[3].FullName = "" }, "members[3].full_name"},
		{"unknown position", func(m []domain.CommitteeMember) { m[3].Position = "chair" }, "members[3].position"},
		{"second head", func(m []domain.CommitteeMember) { m[4].Position = domain.PositionHead }, "members[4].position"},
		{"second standing deputy", func(m []domain.CommitteeMember) { m[2].Position = domain.PositionStandingDeputy }, "members[2].position"},
		{"bad phone", func(m []domain.CommitteeMember) { m[1].Phone = "gọi tôi" }, "members[1].phone"},
		{"short phone", func(m []domain.CommitteeMember) { m[1].Phone = "113" }, "members[1].phone"},
		{"bad target area", func(m []domain.CommitteeMember) { m[3].TargetAreaIDs = []int64{-1} }, "members[3].target_area_ids[0]"},
		{"duplicate target area", func(m []domain.CommitteeMember) { m[3].TargetAreaIDs = []int64{1, 1} }, "members[3].target_area_ids[1]"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := append([]domain.CommitteeMember(nil), ok...)
			tt.edit(m)
			f := fieldsOf(t, domain.ValidateCommittee(m))
			if len(f) != 1 || f[tt.field] == "" {
				t.Errorf("fields = %v, want only %q", f, tt.field)
			}
		})
	}
	if f := fieldsOf(t, domain.ValidateCommitteeMember(domain.CommitteeMember{})); f["full_name"] == "" || f["position"] == "" {
		t.Errorf("fields = %v", f)
	}
}

func TestModelTypes(t *testing.T) {
	types := domain.ModelTypes()
	seed := []string{
		"Tổ liên gia nhà trọ tự quản về ANTT và PCCC",
		"Tổ liên gia camera an ninh",
		"Dân vận khéo",
		"Tổ liên gia phòng cháy chữa cháy",
	}
	for i, name := range seed {
		if types[i].Name != name {
			t.Errorf("type %d = %q, want the seed's %q", i, types[i].Name, name)
		}
	}
	seen := map[string]bool{}
	for _, ty := range types {
		if seen[ty.Code] || domain.ModelTypeName(ty.Code) != ty.Name {
			t.Errorf("type %q duplicated or not found", ty.Code)
		}
		seen[ty.Code] = true
	}
}

func TestValidateModel(t *testing.T) {
	today := domain.Date{Year: 2024, Month: 6, Day: 1}
	m := domain.SelfManagementModel{Name: "Tổ liên gia camera an ninh khu Đông Tiến", Type: domain.ModelSecurityCamera,
		EstablishedOn: domain.Date{Year: 2023, Month: 5, Day: 2}, MembersCount: 12, Effective: true}
	if err := domain.ValidateModel(m, today); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name  string
		edit  func(m *domain.SelfManagementModel)
		field string
	}{
		{"empty name", func(m *domain.SelfManagementModel) { m.Name = "" }, "name"},
		{"unknown type", func(m *domain.SelfManagementModel) { m.Type = "x" }, "type"},
		{"negative members", func(m *domain.SelfManagementModel) { m.MembersCount = -1 }, "members_count"},
		{"future date", func(m *domain.SelfManagementModel) { m.EstablishedOn = domain.Date{Year: 2024, Month: 6, Day: 2} }, "established_on"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			x := m
			tt.edit(&x)
			f := fieldsOf(t, domain.ValidateModel(x, today))
			if len(f) != 1 || f[tt.field] == "" {
				t.Errorf("fields = %v, want only %q", f, tt.field)
			}
		})
	}
	models := []domain.SelfManagementModel{m, {Effective: false}, {Effective: true}}
	if got := domain.CountEffectiveModels(models); got != 2 {
		t.Errorf("CountEffectiveModels = %d", got)
	}
}

func TestBudget(t *testing.T) {
	for _, tt := range []struct {
		line  domain.BudgetLine
		field string
	}{
		{domain.BudgetLine{Item: "Tuyên truyền", Amount: 0}, ""},
		{domain.BudgetLine{Item: "Tuyên truyền", Amount: domain.MaxBudgetAmount}, ""},
		{domain.BudgetLine{Item: "Tuyên truyền", Amount: -1}, "amount"},
		{domain.BudgetLine{Item: "Tuyên truyền", Amount: domain.MaxBudgetAmount + 1}, "amount"},
		{domain.BudgetLine{Item: " ", Amount: 1}, "item"},
	} {
		err := domain.ValidateBudgetLine(tt.line)
		if tt.field == "" {
			if err != nil {
				t.Errorf("%+v: %v", tt.line, err)
			}
			continue
		}
		if f := fieldsOf(t, err); len(f) != 1 || f[tt.field] == "" {
			t.Errorf("%+v: fields = %v, want %q", tt.line, f, tt.field)
		}
	}
	if sum, ok := domain.BudgetTotal([]domain.BudgetLine{{Amount: 1_500_000}, {Amount: 2_000_000}}); !ok || sum != 3_500_000 {
		t.Errorf("BudgetTotal = %d, %v", sum, ok)
	}
	if _, ok := domain.BudgetTotal([]domain.BudgetLine{{Amount: math.MaxInt64}, {Amount: 1}}); ok {
		t.Error("overflow not detected")
	}
	if _, ok := domain.BudgetTotal([]domain.BudgetLine{{Amount: -5}}); ok {
		t.Error("negative line summed")
	}
}

func TestValidPhone(t *testing.T) {
	for _, tc := range []struct {
		phone string
		ok    bool
	}{
		{"0912345678", true},
		{"0912 345 678", true},
		{"+84 912.345.678", true},
		{"84912345678", true},
		{"(0204) 3874 123", true},
		{"0204 3874 123", true},
		{"+84 204 3874 123", true},
		{"091234567", false},   // 9 digits: one short
		{"09123456789", false}, // 11 digits but not a fixed line
		{"0112345678", false},  // no mobile prefix 01 since 2018
		{"113", false},
		{"0912-345-67a", false},
		{"09+12345678", false},
	} {
		t.Run(tc.phone, func(t *testing.T) {
			m := domain.CommitteeMember{FullName: "Nguyễn Văn A", Position: domain.PositionMember, Phone: tc.phone}
			err := domain.ValidateCommittee([]domain.CommitteeMember{m})
			if got := err == nil; got != tc.ok {
				t.Errorf("phone %q accepted = %v, want %v (%v)", tc.phone, got, tc.ok, err)
			}
		})
	}
}
