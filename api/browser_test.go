package api_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"chuyenhoa/store/storetest"
)

// The browser tests drive Debian's chromium, headless, through chromedp.
// scripts/test installs it; without it they skip, except under CI=true,
// where a missing browser fails them.

// browserPath finds chromium.
func browserPath(t testing.TB) string {
	t.Helper()
	storetest.SkipShort(t, "a browser test")
	if os.Getenv("CHUYENHOA_BROWSER_TESTS") == "0" && os.Getenv("CI") != "true" {
		t.Skip("CHUYENHOA_BROWSER_TESTS=0")
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is not installed (scripts/test installs Debian's chromium)")
	}
	t.Skip("chromium is not installed; set CI=true to fail instead of skipping")
	return ""
}

// chrome is one headless browser tab on the fixture's server.
type chrome struct {
	t   testing.TB
	f   *uiFixture
	ctx context.Context
}

// mustChrome starts a headless chromium for the test.
func (f *uiFixture) chrome(t testing.TB) *chrome {
	t.Helper()
	path := browserPath(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("lang", "vi-VN"),
		chromedp.WindowSize(1280, 900),
		chromedp.UserDataDir(t.TempDir()),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		t.Fatalf("start chromium: %v", err)
	}
	return &chrome{t: t, f: f, ctx: ctx}
}

// open loads path and returns the HTTP status of the document.
func (c *chrome) open(path string) int64 {
	c.t.Helper()
	res, err := chromedp.Run(c.ctx, chromedp.NavigateResponse(c.f.ts.URL+path))
	if err != nil {
		c.t.Fatalf("open %s: %v", path, err)
	}
	return res.Status
}

// submitBy clicks the element (a submit button) and waits for the next
// page, returning its HTTP status.
func (c *chrome) submitBy(selector string) int64 {
	c.t.Helper()
	res, err := chromedp.RunResponse(c.ctx, chromedp.Click(chromedp.CSS(selector)))
	if err != nil {
		c.t.Fatalf("click %s: %v", selector, err)
	}
	return res.Status
}

// fill replaces the value of the field with the id by typing.
func (c *chrome) fill(id, value string) {
	c.t.Helper()
	c.eval(`document.getElementById(` + strconv.Quote(id) + `).value = ""`)
	if err := chromedp.Do(c.ctx, chromedp.SendKeys(chromedp.ID(id), value)); err != nil {
		c.t.Fatalf("fill %s: %v", id, err)
	}
}

// text returns the visible text of the first element matching selector.
func (c *chrome) text(selector string) string {
	c.t.Helper()
	s, err := chromedp.Run(c.ctx, chromedp.Text(chromedp.CSS(selector)))
	if err != nil {
		c.t.Fatalf("text %s: %v", selector, err)
	}
	return s
}

// eval runs JavaScript in the page.
func (c *chrome) eval(js string) {
	c.t.Helper()
	if _, err := chromedp.Run(c.ctx, chromedp.Evaluate[any](js)); err != nil {
		c.t.Fatalf("eval: %v", err)
	}
}

// location returns the current URL's path and query.
func (c *chrome) location() string {
	c.t.Helper()
	loc, err := chromedp.Run(c.ctx, chromedp.Location())
	if err != nil {
		c.t.Fatal(err)
	}
	return strings.TrimPrefix(loc, c.f.ts.URL)
}

// login signs in through the form.
func (c *chrome) login(username string) {
	c.t.Helper()
	c.open("/login")
	c.fill("username", username)
	c.fill("password", webPassword(username))
	if st := c.submitBy("form[action='/login'] button[type=submit]"); st != 200 {
		c.t.Fatalf("sign in as %s: status %d", username, st)
	}
}

// logout signs out through the header's button.
func (c *chrome) logout() {
	c.t.Helper()
	c.submitBy("form[action='/logout'] button")
}

// screenshot saves the full page under artifacts/e2e/ (not committed) and
// returns its path.
func (c *chrome) screenshot(name string) string {
	c.t.Helper()
	png, err := chromedp.Run(c.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		c.t.Fatalf("screenshot: %v", err)
	}
	return saveArtifact(c.t, name, png)
}

func saveArtifact(t testing.TB, name string, b []byte) string {
	t.Helper()
	dir := os.Getenv("CHUYENHOA_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join("..", "artifacts", "e2e")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name+".png")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot %s", p)
	return p
}

func TestBrowserSignIn(t *testing.T) {
	storetest.SkipShort(t, "a browser test")
	f := mustUIFixture(t, storetest.MustSQLite(t))
	c := f.chrome(t)
	if st := c.open("/"); st != 200 {
		t.Fatalf("/ = %d (after the redirect to sign in)", st)
	}
	if loc := c.location(); !strings.HasPrefix(loc, "/login?next=") {
		t.Errorf("location = %q, want the sign-in page", loc)
	}
	c.fill("username", "nenh")
	c.fill("password", "sai-mat-khau")
	if st := c.submitBy("form[action='/login'] button[type=submit]"); st != 401 {
		t.Errorf("wrong password: status %d, want 401", st)
	}
	if got := c.text(".error-summary"); got != "Tên đăng nhập hoặc mật khẩu không đúng." {
		t.Errorf("error = %q", got)
	}
	c.fill("password", webPassword("nenh"))
	c.submitBy("form[action='/login'] button[type=submit]")
	if got := c.text("h1"); got != "Xin chào, Cán bộ nenh" {
		t.Errorf("heading = %q", got)
	}
	c.screenshot("sign-in-home")
	c.logout()
	if got := c.text("h1"); got != "Đăng nhập" {
		t.Errorf("after sign-out heading = %q", got)
	}
}

func TestBrowserOtherWardIsNotFound(t *testing.T) {
	storetest.SkipShort(t, "a browser test")
	f := mustUIFixture(t, storetest.MustSQLite(t))
	c := f.chrome(t)
	c.login("nenh")
	if st := c.open("/units/" + itoa(f.units["nenh"].ID)); st != 200 {
		t.Fatalf("own ward = %d", st)
	}
	if st := c.open("/units/" + itoa(f.units["quangchau"].ID)); st != 404 {
		t.Errorf("another ward = %d, want 404", st)
	}
	if got := c.text("h1"); got != "Không tìm thấy trang" {
		t.Errorf("heading = %q", got)
	}
	if id := c.text(".error-page code"); len(id) < 16 {
		t.Errorf("request id = %q", id)
	}
	c.screenshot("other-ward-404")
}

func TestBrowserFormWithoutCSRFIsRefused(t *testing.T) {
	storetest.SkipShort(t, "a browser test")
	f := mustUIFixture(t, storetest.MustSQLite(t))
	c := f.chrome(t)
	c.login("nenh")
	c.open("/settings")
	// A forged form: the same fields without the token.
	c.eval(`document.querySelector("form[action='/settings'] input[name=_csrf]").remove(); document.getElementById("lang").value = "en";`)
	if st := c.submitBy("form[action='/settings'] button[type=submit]"); st != 403 {
		t.Errorf("status = %d, want 403", st)
	}
	if got := c.text("h1"); got != "Không có quyền truy cập" {
		t.Errorf("heading = %q", got)
	}
	if got := c.text(".error-page .detail"); !strings.Contains(got, "mã bảo vệ") {
		t.Errorf("detail = %q", got)
	}
	c.screenshot("csrf-refused")
	if u, _ := f.ids.UserByID(f.root, f.users["nenh"].ID); u.Lang != "vi" {
		t.Errorf("lang = %q: the forged form changed the user", u.Lang)
	}
}

// TestBrowserReportScenario is the whole round of a Q1 report in a real
// browser: the ward types one invalid value and sees the Vietnamese
// message next to the field, corrects it and submits; the district returns
// it with a reason; the ward corrects and resubmits; the district accepts;
// the province sees the row change in the comparison table.
func TestBrowserReportScenario(t *testing.T) {
	storetest.SkipShort(t, "a browser test")
	f := mustUIFixture(t, storetest.MustSQLite(t))
	f.now = time.Date(2024, time.March, 4, 2, 0, 0, 0, time.UTC)
	camp := f.mustCampaign(t, "nenh", "quangchau")
	path := "/target-areas/" + itoa(camp.areas["nenh"].ID) + "/reports/Q1"
	c := f.chrome(t)

	rowText := func() string {
		c.open("/compare?period=Q1")
		return c.text("#row-07795")
	}
	c.login("tinh")
	before := rowText()
	if !strings.Contains(before, "Chưa có báo cáo") {
		t.Errorf("row before = %q", before)
	}
	c.logout()

	// The ward fills the report with one invalid value.
	c.login("nenh")
	c.open(path)
	for id, v := range map[string]string{"v-households": "1.200", "v-households_reached": "12a", "v-models_active": "4",
		"v-models_effective": "3", "v-propaganda_sessions": "12"} {
		c.fill(id, v)
	}
	c.eval(`document.getElementById("v-community_rules").value = "true"`)
	if st := c.submitBy(`button[name=action][value=submit]`); st != 400 {
		t.Errorf("invalid submit = %d, want 400", st)
	}
	if got := c.text("#v-households_reached-error"); !strings.Contains(got, "phải là số nguyên không âm") {
		t.Errorf("error next to the field = %q", got)
	}
	if got := c.text("#form-error"); !strings.Contains(got, "Dữ liệu chưa hợp lệ") {
		t.Errorf("summary = %q", got)
	}
	c.screenshot("report-invalid-value")
	c.fill("v-households_reached", "1150")
	if st := c.submitBy(`button[name=action][value=submit]`); st != 200 {
		t.Fatalf("submit = %d", st)
	}
	if got := c.text(".flash-ok"); got != "Đã gửi báo cáo lên cấp trên." {
		t.Errorf("flash = %q", got)
	}
	c.screenshot("report-submitted")
	c.logout()

	// The district returns it with a reason and a remark on the field.
	c.login("huyen")
	c.open("/review")
	if got := c.text("main table"); !strings.Contains(got, "Phường Nếnh") {
		t.Errorf("queue = %q", got)
	}
	c.open(path)
	c.fill("r-households_reached", "Kiểm tra lại theo sổ tuyên truyền")
	c.fill("return-reason", "Số hộ được tuyên truyền chưa khớp sổ theo dõi")
	c.screenshot("district-review")
	if st := c.submitBy("#return-button"); st != 200 {
		t.Fatalf("return = %d", st)
	}
	c.logout()

	// The ward sees why, corrects and resubmits.
	c.login("nenh")
	c.open(path)
	if got := c.text(".returned"); !strings.Contains(got, "Số hộ được tuyên truyền chưa khớp sổ theo dõi") {
		t.Errorf("returned reason = %q", got)
	}
	if got := c.text("#v-households_reached-remark"); !strings.Contains(got, "Kiểm tra lại theo sổ tuyên truyền") {
		t.Errorf("remark = %q", got)
	}
	c.screenshot("report-returned")
	c.fill("v-households_reached", "1100")
	if st := c.submitBy(`button[name=action][value=submit]`); st != 200 {
		t.Fatalf("resubmit = %d", st)
	}
	c.logout()

	// The district sees the change and accepts.
	c.login("huyen")
	c.open(path)
	if got := c.text("table.diff"); !strings.Contains(got, "1.150") || !strings.Contains(got, "1.100") {
		t.Errorf("diff = %q", got)
	}
	if st := c.submitBy("#accept-button"); st != 200 {
		t.Fatalf("accept = %d", st)
	}
	c.logout()

	// The province sees the row change.
	c.login("tinh")
	after := rowText()
	for _, want := range []string{"Đã chấp nhận", "Đúng hạn", "Đạt"} {
		if !strings.Contains(after, want) {
			t.Errorf("row after = %q, lacks %q", after, want)
		}
	}
	if after == before {
		t.Error("the row did not change")
	}
	c.screenshot("compare-after")
}

// TestBrowserPlanScenario: the ward starts its plan from the district's,
// adds a task with an empty title and sees the Vietnamese message next to
// the field, corrects it and submits the plan; the district approves it.
func TestBrowserPlanScenario(t *testing.T) {
	storetest.SkipShort(t, "a browser test")
	f := mustUIFixture(t, storetest.MustSQLite(t))
	f.now = time.Date(2024, time.March, 4, 2, 0, 0, 0, time.UTC)
	camp := f.mustCampaign(t, "nenh")
	district := f.mustDistrictPlan(t, camp.areas["nenh"])
	c := f.chrome(t)

	c.login("nenh")
	c.open("/target-areas/" + itoa(camp.areas["nenh"].ID))
	if st := c.submitBy(`form[action='/plans/` + itoa(district.ID) + `/copy'] button`); st != 200 {
		t.Fatalf("copy = %d", st)
	}
	if loc := c.location(); !strings.HasPrefix(loc, "/plans/") || loc == "/plans/"+itoa(district.ID) {
		t.Fatalf("after the copy the browser is at %q, want the ward's plan", loc)
	}
	planPath := c.location()
	if got := c.text(".flash-ok"); !strings.Contains(got, "Đã sao chép") {
		t.Errorf("flash = %q", got)
	}
	c.eval(`document.getElementById("task-section").value = "2.2"`)
	c.fill("task-responsible", "Công an phường Nếnh")
	c.fill("task-due", "30/06/2024")
	if st := c.submitBy("#add-task-button"); st != 400 {
		t.Errorf("empty title = %d, want 400", st)
	}
	if got := c.text("#task-title-error"); !strings.Contains(got, "Tên nhiệm vụ không được để trống") {
		t.Errorf("error next to the field = %q", got)
	}
	if got := c.text("#form-error"); !strings.Contains(got, "Dữ liệu chưa hợp lệ") {
		t.Errorf("summary = %q", got)
	}
	c.screenshot("plan-task-invalid")
	c.fill("task-title", "Tuần tra đêm khu nhà trọ")
	if st := c.submitBy("#add-task-button"); st != 200 {
		t.Fatalf("add task = %d", st)
	}
	if got := c.text(".flash-ok"); got != "Đã thêm nhiệm vụ “Tuần tra đêm khu nhà trọ”." {
		t.Errorf("flash = %q", got)
	}
	if got := c.text("#sec-2\\.2 + table"); !strings.Contains(got, "Tuần tra đêm khu nhà trọ") || !strings.Contains(got, "Công an phường Nếnh") {
		t.Errorf("section 2.2 = %q", got)
	}
	if st := c.submitBy("#submit-plan"); st != 200 {
		t.Fatalf("submit = %d", st)
	}
	if got := c.text(".flash-ok"); got != "Đã gửi kế hoạch của Phường Nếnh lên cấp trên." {
		t.Errorf("flash = %q", got)
	}
	c.screenshot("plan-submitted")
	c.logout()

	c.login("huyen")
	c.open("/review")
	if got := c.text("#h-plan-queue + table"); !strings.Contains(got, "Phường Nếnh") {
		t.Errorf("plan queue = %q", got)
	}
	c.open(planPath)
	if st := c.submitBy("#approve-plan"); st != 200 {
		t.Fatalf("approve = %d", st)
	}
	if got := c.text(".facts"); !strings.Contains(got, "Đã duyệt") {
		t.Errorf("facts = %q", got)
	}
	c.screenshot("plan-approved")
}
