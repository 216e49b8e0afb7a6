package outbox

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"chuyenhoa/domain"
	"chuyenhoa/store/cache"
)

// CacheBump is the consumer that invalidates the views an event changed:
// the campaign's, or every campaign of the tenant when the event names
// none. The writer bumps too, right after its commit (the fast path); this
// is the guarantee when that bump failed or the writer died before it.
// Bumping twice only costs one extra recomputation.
func CacheBump(db bun.IDB, views *cache.Views) Consumer {
	return ConsumerFunc(func(ctx context.Context, ev domain.Event) error {
		if views == nil || ev.TenantID == 0 {
			return nil
		}
		ids := []int64{ev.CampaignID}
		if ev.CampaignID == 0 {
			ids = nil
			if err := db.NewSelect().Table("campaigns").Column("id").Where("province_id = ?", ev.TenantID).Scan(ctx, &ids); err != nil {
				return fmt.Errorf("outbox: campaigns of tenant %d: %w", ev.TenantID, err)
			}
		}
		for _, id := range ids {
			if err := views.BumpNow(ctx, ev.TenantID, id); err != nil {
				return fmt.Errorf("%w: %v", ErrRetrySoon, err)
			}
		}
		return nil
	})
}
