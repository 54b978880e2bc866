package repo

import (
	"context"
	"database/sql"
	"errors"
	"testing"

	"example.com/databaselayer/internal/fakedb"
)

func newTestDB(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open(fakedb.DriverName, "repo/"+t.Name())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("close db: %v", err)
		}
	})
	if err := CreateSchema(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestUserCRUD(t *testing.T) {
	ctx := context.Background()
	users := NewUserRepo(newTestDB(t))
	t.Cleanup(func() { users.Close() })

	u := &User{Email: "ada@example.com", Name: "Ada", Active: true}
	if err := users.Create(ctx, u); err != nil {
		t.Fatal(err)
	}
	got, err := users.Get(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Email != u.Email {
		t.Fatalf("email = %q, want %q", got.Email, u.Email)
	}
	if err := users.Rename(ctx, u.ID, "Countess"); err != nil {
		t.Fatal(err)
	}
	if err := users.Delete(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := users.Get(ctx, u.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get after delete: err = %v, want ErrNotFound", err)
	}
}

func TestEmailsByIDs(t *testing.T) {
	ctx := context.Background()
	users := NewUserRepo(newTestDB(t))
	t.Cleanup(func() { users.Close() })
	var ids []int64
	for _, email := range []string{"a@x", "b@x", "c@x"} {
		u := &User{Email: email}
		if err := users.Create(ctx, u); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, u.ID)
	}
	got, err := users.EmailsByIDs(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("got %d emails, want 3", len(got))
	}
}

func TestPlaceOrder(t *testing.T) {
	ctx := context.Background()
	orders := NewOrderRepo(newTestDB(t))
	o := &Order{UserID: 7}
	items := []Item{{SKU: "tea", Qty: 2, PriceCents: 350}, {SKU: "mug", Qty: 1, PriceCents: 900}}
	if err := orders.Place(ctx, o, items); err != nil {
		t.Fatal(err)
	}
	if o.TotalCents != 1600 {
		t.Fatalf("total = %d, want 1600", o.TotalCents)
	}
	got, err := orders.Items(ctx, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(items) {
		t.Fatalf("items = %d, want %d", len(got), len(items))
	}
}

func TestStmtCacheReusesStatements(t *testing.T) {
	ctx := context.Background()
	c := NewStmtCache(newTestDB(t))
	t.Cleanup(func() { c.Close() })
	for i := 0; i < 3; i++ {
		if _, err := c.Prepare(ctx, selectUsers); err != nil {
			t.Fatal(err)
		}
	}
	hits, misses, size := c.Snapshot()
	if hits != 2 || misses != 1 || size != 1 {
		t.Fatalf("hits=%d misses=%d size=%d, want 2 1 1", hits, misses, size)
	}
}
