// Command policy-sync runs next to a gateway and copies tenant quotas from
// the billing system's export into the gateway's quota store.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"time"

	"example.com/ratelimitgw/internal/quota"
)

type billingPlan struct {
	Tenant       string `json:"tenant"`
	MonthlyQuota int64  `json:"monthly_quota"`
}

// fatalf logs and exits; only used before any cleanup is registered.
func fatalf(format string, args ...any) {
	log.Printf(format, args...)
	os.Exit(1)
}

func readPlans(path string) ([]billingPlan, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var plans []billingPlan
	if err := json.Unmarshal(data, &plans); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return plans, nil
}

// syncOnce applies the billing plans to the store and saves it if anything
// changed.
func syncOnce(store *quota.Store, plansPath string) (int, error) {
	plans, err := readPlans(plansPath)
	if err != nil {
		return 0, err
	}
	changed := 0
	now := time.Now().UTC()
	for _, p := range plans {
		if u, ok := store.Get(p.Tenant); ok && u.Limit == p.MonthlyQuota {
			continue
		}
		store.SetLimit(p.Tenant, p.MonthlyQuota, now)
		changed++
	}
	if changed == 0 {
		return 0, nil
	}
	return changed, store.Save()
}

func main() {
	dir := flag.String("data", "/var/lib/ratelimitgw", "quota data directory")
	plans := flag.String("plans", "/etc/billing/plans.json", "billing plan export")
	every := flag.Duration("every", time.Minute, "sync interval")
	flag.Parse()

	if _, err := os.Stat(*plans); err != nil {
		fatalf("plans: %v", err)
	}
	lock, err := quota.LockDir(*dir)
	if err != nil {
		fatalf("%v", err)
	}
	defer lock.Release() // HAZ signal-skips-defer
	store := quota.NewStore(*dir, nil)
	if err := store.Load(); err != nil && !os.IsNotExist(err) {
		log.Printf("load store: %v (starting empty)", err)
	}
	for {
		n, err := syncOnce(store, *plans)
		switch {
		case err != nil:
			log.Printf("sync: %v", err)
		case n > 0:
			log.Printf("sync: %d tenants updated", n)
		}
		time.Sleep(*every)
	}
}
