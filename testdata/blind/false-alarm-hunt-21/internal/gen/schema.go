package gen

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"example.com/fah21/internal/cache"
)

// FetchSchema downloads the JSON schema for spec files, giving up after ten
// seconds.
func FetchSchema(ctx context.Context, client *http.Client, url string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch schema: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch schema: %s", resp.Status)
	}
	return io.ReadAll(io.LimitReader(resp.Body, 8<<20))
}

// CachedSchema returns the schema from the disk cache, fetching and storing
// it on a miss.
func CachedSchema(ctx context.Context, d *cache.Disk, client *http.Client, url string) ([]byte, error) {
	key := cache.Key([]byte("schema"), []byte(url))
	if b, ok := d.Load(key); ok {
		return b, nil
	}
	b, err := FetchSchema(ctx, client, url)
	if err != nil {
		return nil, err
	}
	if err := d.Store(key, b); err != nil {
		return nil, err
	}
	return b, nil
}
