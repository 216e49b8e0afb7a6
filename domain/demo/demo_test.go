package demo

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"chuyenhoa/domain"
	"chuyenhoa/tenants/official"
)

// mappingRows returns the embedded 2025 mapping as maps keyed by the
// CSV's column names.
func mappingRows() []map[string]string {
	var out []map[string]string
	for _, r := range official.Mapping2025() {
		out = append(out, map[string]string{"old_ward_code": r.OldWardCode, "old_ward_name": r.OldWardName,
			"old_district_name": r.OldDistrictName, "old_province_name": r.OldProvinceName,
			"new_ward_code": r.NewWardCode, "new_ward_name": r.NewWardName, "new_province_name": r.NewProvinceName})
	}
	return out
}

// units2019Rows returns the embedded 2019 list as maps keyed by the CSV's
// column names.
func units2019Rows() []map[string]string {
	var out []map[string]string
	for _, u := range official.Units2019() {
		out = append(out, map[string]string{"code": u.Code, "name": u.Name, "kind": u.Kind, "parent_code": u.ParentCode, "unit_type": u.UnitType})
	}
	return out
}

// squash collapses runs of white space, as the 2019 file has "Thị trấn  Bích Động".
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

func TestUnits(t *testing.T) {
	units := Units()
	if got, want := len(units), 1+1+17+1+16+1+23; got != want {
		t.Errorf("%d units, want %d", got, want)
	}
	seen := map[string]Unit{}
	children := map[string]int{}
	for i, u := range units {
		if _, dup := seen[u.Code]; dup {
			t.Errorf("row %d: code %s twice", i, u.Code)
		}
		if u.ParentCode != "" {
			if _, ok := seen[u.ParentCode]; !ok {
				t.Errorf("row %d: %s comes before its parent %s", i, u.Code, u.ParentCode)
			}
		}
		if u.Name == "" || u.UnitType == "" || !strings.HasPrefix(u.Name, u.UnitType+" ") {
			t.Errorf("row %d: name %q does not start with its type %q", i, u.Name, u.UnitType)
		}
		switch {
		case u.Kind == "province" && u.ParentCode == "":
		case u.Kind == "district" && u.ParentCode == ProvinceCode:
		case u.Kind == "ward" && seen[u.ParentCode].Kind == "district":
		default:
			t.Errorf("row %d: %+v misplaced", i, u)
		}
		seen[u.Code] = u
		children[u.ParentCode]++
	}
	for code, want := range map[string]string{
		ProvinceCode: "Tỉnh Bắc Giang", DistrictCode: "Thị xã Việt Yên", NenhCode: "Phường Nếnh",
		"213": "Thành phố Bắc Giang", "217": "Huyện Lạng Giang",
	} {
		if got := seen[code].Name; got != want {
			t.Errorf("unit %s = %q, want %q", code, got, want)
		}
	}
	if got := children[DistrictCode]; got != 17 {
		t.Errorf("Việt Yên has %d units, want 17", got)
	}
	if seen[NenhCode].ParentCode != DistrictCode {
		t.Errorf("Nếnh under %q", seen[NenhCode].ParentCode)
	}
	if !bytes.HasPrefix(UnitsCSV(), []byte("code,name,kind,parent_code,unit_type\n")) {
		t.Error("UnitsCSV lacks the import header")
	}
}

// TestUnitsMatchOfficialLists checks the demo tree against the official lists.
func TestUnitsMatchOfficialLists(t *testing.T) {
	mapping := mappingRows()
	units2019 := units2019Rows()

	got := map[string][]string{}
	for _, u := range Units() {
		if u.Kind == "ward" {
			got[u.ParentCode] = append(got[u.ParentCode], u.Code+" "+u.Name)
		}
	}
	var vy []string
	for _, r := range mapping {
		if r["old_district_name"] == "Thị xã Việt Yên" {
			if r["old_province_name"] != "Tỉnh Bắc Giang" {
				t.Errorf("%s in %s", r["old_ward_code"], r["old_province_name"])
			}
			vy = append(vy, r["old_ward_code"]+" "+r["old_ward_name"])
		}
	}
	slices.Sort(vy)
	if g := slices.Sorted(slices.Values(got[DistrictCode])); !slices.Equal(g, vy) {
		t.Errorf("Việt Yên wards\n got %v\nwant %v", g, vy)
	}

	by2019 := map[string]map[string]string{}
	want := map[string][]string{}
	for _, r := range units2019 {
		by2019[r["code"]] = r
		if r["parent_code"] == "213" || r["parent_code"] == "217" {
			want[r["parent_code"]] = append(want[r["parent_code"]], r["code"]+" "+squash(r["name"]))
		}
	}
	for _, d := range []string{"213", "217"} {
		g := slices.Sorted(slices.Values(got[d]))
		w := slices.Sorted(slices.Values(want[d]))
		if !slices.Equal(g, w) {
			t.Errorf("district %s wards\n got %v\nwant %v", d, g, w)
		}
	}
	for _, u := range Units() {
		r, ok := by2019[u.Code]
		switch {
		case u.ParentCode == DistrictCode:
			continue // post-2019 codes and names, checked against the mapping above
		case !ok:
			t.Errorf("%s %s not in the 2019 file", u.Code, u.Name)
		case u.Code == DistrictCode:
			// A town (thị xã) since 2024; the 2019 file still calls it a district (huyện).
			if r["kind"] != "district" || r["parent_code"] != ProvinceCode || !strings.HasSuffix(r["name"], "Việt Yên") {
				t.Errorf("2019 row of 222: %v", r)
			}
		case squash(r["name"]) != u.Name || r["kind"] != u.Kind || r["parent_code"] != u.ParentCode || r["unit_type"] != u.UnitType:
			t.Errorf("%+v differs from the 2019 row %v", u, r)
		}
	}
}

// normalizeSeed turns the seed into one line of text without its markdown emphasis.
func normalizeSeed(s string) string {
	return squash(strings.NewReplacer("**", "", "*", "").Replace(s))
}

func readSeed(tb testing.TB) string {
	tb.Helper()
	// testdata/ holds a verbatim copy of the seed plan, so the check runs
	// on any clone.
	b, err := os.ReadFile(filepath.Join("testdata", "ke-hoach-chuyen-hoa-2024.vi.txt"))
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// TestSeedTextIsVerbatim checks that every paragraph copied from the seed is
// in it word for word, that every measure of the seed is in a task, and that
// each correction fixes something the seed really contains.
func TestSeedTextIsVerbatim(t *testing.T) {
	raw := readSeed(t)
	seed := normalizeSeed(raw)
	var paras []string
	paras = append(paras, seedPreamble)
	paras = append(paras, seedObjectives[:]...)
	paras = append(paras, seedCriteria[:]...)
	paras = append(paras, seedRecipients[:]...)
	for _, task := range seedTasks {
		paras = append(paras, task.text...)
	}
	for _, p := range paras {
		if !strings.Contains(seed, p) {
			t.Errorf("not in the seed: %q", p)
		}
	}
	for _, c := range Corrections() {
		if !strings.Contains(seed, c.From) {
			t.Errorf("correction %q → %q: the seed has no %q", c.From, c.To, c.From)
		}
		if strings.Contains(c.To, "Nếnh") || strings.Contains(c.From, "Nénh") {
			t.Errorf("the seed's “Nénh” must be kept in copied text")
		}
	}

	// Every bullet of sections 2.1–2.3 and III (and the closing paragraph) is in some task.
	var taskText []string
	for _, task := range seedTasks {
		taskText = append(taskText, task.text...)
	}
	all := normalizeSeed(strings.Join(taskText, " "))
	lines := strings.Split(raw, "\n")
	in := false
	checked := 0
	for i, l := range lines {
		l = strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(l, "2.1."), strings.HasPrefix(l, "III."):
			in = true
		case strings.HasPrefix(l, "3. Tiêu chí"), strings.HasPrefix(l, "Nơi nhận"):
			in = false
		}
		if !in || l == "" || !(strings.HasPrefix(l, "- ") || strings.HasPrefix(l, "+ ") || strings.HasPrefix(l, "Giao cho")) {
			continue
		}
		// A bullet broken by a page break continues on a later line; its first part is enough.
		head := normalizeSeed(strings.TrimLeft(l, "-+ "))
		if !strings.Contains(all, head) {
			t.Errorf("seed line %d is in no task: %q", i+1, head)
		}
		checked++
	}
	if checked < 30 {
		t.Errorf("only %d seed bullets checked; did the seed's layout change?", checked)
	}
}

func TestDistrictPlan(t *testing.T) {
	d := DistrictPlan()
	p := d.Plan
	if err := domain.ValidatePlan(p, CampaignYear); err != nil {
		t.Fatalf("seed plan invalid: %v", err)
	}
	if d.AuthorCode != DistrictCode || d.TargetCode != NenhCode {
		t.Errorf("author %s, target %s", d.AuthorCode, d.TargetCode)
	}
	counts := map[string]int{}
	for _, task := range p.Tasks {
		counts[task.Section]++
	}
	for _, s := range domain.PlanSections() {
		if counts[s.Code] == 0 {
			t.Errorf("section %s (%s) has no task", s.Code, s.Name)
		}
	}
	if got, want := counts, map[string]int{"2.1": 5, "2.2": 9, "2.3": 4, "org": 18}; !mapsEqual(got, want) {
		t.Errorf("tasks per section = %v, want %v", got, want)
	}
	if got := len(p.Objectives); got != 4 {
		t.Errorf("%d objectives, want 4", got)
	}
	if k := p.Objectives[3]; k.Kind != domain.ObjectiveGoal || !strings.Contains(k.Text, "phường Nénh trong năm 2024") {
		t.Errorf("objective 4 = %+v", k)
	}

	text := planText(p)
	for _, s := range []string{
		"Thực hiện Quyết định số 301/QĐ-BCĐ ngày 07/2/2024",
		"Công văn số 584/CAT-TM, ngày 23/02/2024 của Công an tỉnh Bắc Giang",
		"Chỉ đạo trực tiếp, toàn diện Ban Chỉ đạo phường Nénh",
		"BCĐ xã, phường",
		"hiệu quả hoạt động của các mô hình tự quản",
		"“Tổ liên gia nhà trọ tự quản về ANTT và PCCC”; “Tổ liên gia camera an ninh”; mô hình “Dân vận khéo”; “Tổ liên gia phòng cháy chữa cháy”",
		"tuyên truyền vận động nhân dân tham gia phòng, chống tội phạm",
		"trên địa bàn đồng thời không để phát sinh người nghiện mới",
		"bảo vệ ANTQ, phân công đồng chí Bí thư Đảng ủy",
		"Củng cố phát huy vai trò của lực lượng Công an phường",
		"kiểm soát kiềm chế và làm giảm tai nạn giao thông",
		"công tác chuyển hoá địa bàn trọng điểm, phức tạp về TTATXH bảo đảm yêu cầu",
		"các thôn, xóm, tổ dân phố",
		"(qua Công an thị xã) trước ngày 12/3/2024",
		"Định kỳ báo cáo kết quả quý III trước 13/9: Tính từ 12/6 đến ngày 12/9 của kỳ báo cáo.",
		"phường Nếnh",
	} {
		if !strings.Contains(text, s) {
			t.Errorf("plan lacks %q", s)
		}
	}
	for _, c := range Corrections() {
		if strings.Contains(text, c.From) && !strings.Contains(c.To, c.From) {
			t.Errorf("plan still has the OCR slip %q", c.From)
		}
	}
	if strings.Contains(text, "*") {
		t.Error("plan text carries markdown emphasis")
	}

	due := map[string]string{}
	for _, task := range p.Tasks {
		if !task.Due.IsZero() {
			due[task.Title] = task.Due.String()
		}
	}
	for title, want := range map[string]string{
		"Báo cáo kết quả quý I":   "2024-03-12",
		"Báo cáo kết quả 6 tháng": "2024-06-12",
		"Báo cáo kết quả quý III": "2024-09-12",
		"Báo cáo kết quả năm":     "2024-12-12",
		"Ban Chỉ đạo phường Nếnh xây dựng kế hoạch và gửi về Cơ quan Thường trực (qua Công an thị xã)": "2024-03-11",
	} {
		if due[title] != want {
			t.Errorf("due of %q = %q, want %q", title, due[title], want)
		}
	}
	// A report "trước 13/3" is on time on 12/03 and overdue on 13/03.
	q1 := p.TasksBySection(domain.SectionOrganisation)
	i := slices.IndexFunc(q1, func(t domain.Task) bool { return t.Title == "Báo cáo kết quả quý I" })
	if domain.TaskStatusAt(q1[i], date(2024, time.March, 12)) != domain.TaskNotStarted ||
		domain.TaskStatusAt(q1[i], date(2024, time.March, 13)) != domain.TaskOverdue {
		t.Error("quý I report: wrong overdue boundary")
	}
	var freq []string
	for _, task := range p.Tasks {
		if task.Frequency != "" {
			freq = append(freq, task.Frequency)
		}
	}
	if !slices.Contains(freq, "hàng tháng") || !slices.Contains(freq, "hàng tháng, quý, 06 tháng") {
		t.Errorf("frequencies = %v", freq)
	}
	if got := d.Recipients[len(d.Recipients)-2]; got != "Đảng ủy, UBND, BCĐ phường Nénh" {
		t.Errorf("recipient = %q", got)
	}
	if d.References[0].Number != "301/QĐ-BCĐ" || d.References[1].Number != "584/CAT-TM" {
		t.Errorf("references = %v", d.References)
	}
	if len(p.Budget) != 0 {
		t.Errorf("budget = %v; the seed gives no amount", p.Budget)
	}
}

func planText(p domain.Plan) string {
	parts := []string{p.Title, p.Preamble}
	for _, o := range p.Objectives {
		parts = append(parts, o.Text)
	}
	for _, t := range p.Tasks {
		parts = append(parts, t.Title, t.Description, t.Responsible, t.Frequency)
	}
	return strings.Join(parts, "\n")
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestTextIsPrecomposed refuses decomposed diacritics (NFD), which look the
// same but would break search and comparisons, and invalid UTF-8.
func TestTextIsPrecomposed(t *testing.T) {
	b, err := json.Marshal([]any{DistrictPlan(), WardPlan(), Campaign2024(), Committee(), WardCommittee(), Units(), SuccessCriteriaText(), ModelTypes(), Reports2024(), Baselines2024()})
	if err != nil {
		t.Fatal(err)
	}
	if !utf8.Valid(b) {
		t.Fatal("invalid UTF-8")
	}
	for _, r := range string(b) {
		if unicode.Is(unicode.Mn, r) {
			t.Fatalf("combining mark %U: text must be NFC", r)
		}
	}
	if !bytes.Contains(b, []byte("Phường Nếnh")) || !bytes.Contains(b, []byte("phường Nénh")) {
		t.Error("JSON lost the diacritics")
	}
}

func TestCampaign2024(t *testing.T) {
	c := Campaign2024()
	if c.ProvinceCode != ProvinceCode {
		t.Errorf("province %s", c.ProvinceCode)
	}
	camp := c.Campaign
	camp.ProvinceUnitID = 1 // assigned when stored
	if err := domain.ValidateCampaign(camp); err != nil {
		t.Fatalf("campaign invalid: %v", err)
	}
	if got, want := camp.Decision.String(), "301/QĐ-BCĐ ngày 07/02/2024 của "+provinceCommittee; got != want {
		t.Errorf("decision = %q, want %q", got, want)
	}
	if r := camp.References; len(r) != 1 || r[0].Number != "584/CAT-TM" || r[0].Date != date(2024, time.February, 23) || r[0].Issuer != "Công an tỉnh Bắc Giang" {
		t.Errorf("references = %v", r)
	}
	if camp.WardPlanDue != date(2024, time.March, 12) {
		t.Errorf("ward plan due %v", camp.WardPlanDue)
	}
	if len(c.TargetAreas) != 4 {
		t.Fatalf("%d target areas, want Nếnh and three more", len(c.TargetAreas))
	}
	if c.TargetAreas[0].UnitCode != NenhCode {
		t.Errorf("first target area is %s, want Nếnh", c.TargetAreas[0].UnitCode)
	}
	parents := map[string]string{}
	for _, u := range Units() {
		parents[u.Code] = u.ParentCode
	}
	for _, ta := range c.TargetAreas {
		t.Run(ta.UnitCode, func(t *testing.T) { checkTargetArea(t, ta, parents) })
	}
}

func checkTargetArea(t *testing.T, ta TargetArea, parents map[string]string) {
	if parents[ta.UnitCode] != DistrictCode {
		t.Errorf("%s is not a ward of Việt Yên", ta.UnitCode)
	}
	if ta.ProposedByCode != DistrictCode || ta.TargetArea.Status != domain.TargetApproved {
		t.Errorf("target area = %+v", ta)
	}
	if ta.TargetArea.Deadline != date(2024, time.December, 31) {
		t.Errorf("deadline %v", ta.TargetArea.Deadline)
	}
	if ta.TargetArea.Decision == nil || ta.TargetArea.Decision.Number != "301/QĐ-BCĐ" {
		t.Errorf("decision %v", ta.TargetArea.Decision)
	}
	if err := domain.ValidateTargetArea(domain.TargetArea{UnitID: 1, Reason: ta.TargetArea.Reason, Deadline: ta.TargetArea.Deadline}, CampaignYear); err != nil {
		t.Error(err)
	}
	// The history replays through the workflow, by the right roles, in time order.
	status := domain.TargetNone
	var last time.Time
	for _, h := range ta.History {
		e := h.Event
		to, err := domain.CheckTargetTransition(status, e.Action, e.ActorRole)
		if err != nil || to != e.ToStatus || e.FromStatus != status {
			t.Errorf("event %s from %q: %q, %v", e.Action, status, to, err)
		}
		if err := domain.ValidateTargetAction(e.Action, domain.TargetActionInput{Comment: e.Comment, Decision: e.Decision}); err != nil {
			t.Errorf("event %s: %v", e.Action, err)
		}
		if !e.At.After(last) {
			t.Errorf("event %s at %v not after %v", e.Action, e.At, last)
		}
		status, last = to, e.At
	}
	if status != ta.TargetArea.Status {
		t.Errorf("history ends in %q, status %q", status, ta.TargetArea.Status)
	}
}

func TestWardPlan(t *testing.T) {
	w := WardPlan()
	d := DistrictPlan()
	if w.AuthorCode != NenhCode || w.Plan.Status != domain.PlanDraft || w.Plan.Due != date(2024, time.March, 12) {
		t.Errorf("ward plan = %s %s due %v", w.AuthorCode, w.Plan.Status, w.Plan.Due)
	}
	if len(w.Plan.Tasks) != len(d.Plan.Tasks) || len(w.Plan.Objectives) != len(d.Plan.Objectives) {
		t.Error("ward plan is not a copy of the district plan")
	}
	if err := domain.ValidatePlan(w.Plan, CampaignYear); err != nil {
		t.Error(err)
	}
	if !strings.Contains(w.Plan.Title, "phường Nếnh") {
		t.Errorf("title %q", w.Plan.Title)
	}
}

func TestCommittees(t *testing.T) {
	for name, roster := range map[string][]Member{"Việt Yên": Committee(), "Nếnh": WardCommittee()} {
		var members []domain.CommitteeMember
		for _, m := range roster {
			members = append(members, m.Member)
		}
		if err := domain.ValidateCommittee(members); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if members[0].Position != domain.PositionHead || members[1].Position != domain.PositionStandingDeputy {
			t.Errorf("%s: first two are %s, %s", name, members[0].Position, members[1].Position)
		}
	}
	c := Committee()
	if c[0].Member.FullName != "Nguyễn Đại Lượng" || c[0].NamePlaceholder || c[0].UnitCode != DistrictCode {
		t.Errorf("head = %+v", c[0])
	}
	assigned := 0
	for _, m := range c[1:] {
		if !m.NamePlaceholder {
			t.Errorf("%q: the seed names no one else", m.Member.FullName)
		}
		if slices.Contains(m.AssignedCodes, NenhCode) {
			assigned++
		}
	}
	if assigned != 1 {
		t.Errorf("%d members assigned to Nếnh, want 1", assigned)
	}
}

func TestModelTypesFromSeed(t *testing.T) {
	seed := normalizeSeed(readSeed(t))
	types := ModelTypes()
	if len(types) != 4 {
		t.Fatalf("%d types", len(types))
	}
	for _, ty := range types {
		if !strings.Contains(seed, "“"+ty.Name+"”") {
			t.Errorf("type %q is not quoted in the seed", ty.Name)
		}
	}
	if len(SuccessCriteriaText()) != 7 || !strings.Contains(SuccessCriteriaText()[1], "kiện toàn") {
		t.Errorf("criteria = %v", SuccessCriteriaText())
	}
	if !strings.Contains(Summary(), "Phường Nếnh") {
		t.Error(Summary())
	}
}
