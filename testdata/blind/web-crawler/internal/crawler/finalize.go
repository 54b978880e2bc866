package crawler

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"example.com/crawler/internal/warc"
)

// Finalize runs after Run: it compresses the finished segments, records them
// in the manifest and tells the webhook that the crawl is complete.
func (c *Crawler) Finalize() error {
	defer c.notifyWebhook(fmt.Sprintf("crawl finished: %d pages", c.pages.Load())) // HAZ defer-blocking-call
	segs := c.out.Segments()
	if err := warc.CompressAll(segs, 2); err != nil {
		return fmt.Errorf("finalize: %w", err)
	}
	counts, errs := warc.VerifyAll(segs)
	infos := make([]warc.SegmentInfo, 0, len(segs))
	for i, p := range segs {
		if errs[i] != nil {
			c.log.Printf("finalize: %s: %v", p, errs[i])
			continue
		}
		info := warc.SegmentInfo{Path: p + ".gz", Records: counts[i]}
		if fi, err := os.Stat(info.Path); err == nil {
			info.Bytes = fi.Size()
		}
		infos = append(infos, info)
	}
	return warc.AppendManifest(filepath.Join(c.cfg.OutDir, "manifest.jsonl"), infos)
}

// notifyWebhook posts a one-line summary to the configured webhook, if any.
func (c *Crawler) notifyWebhook(summary string) {
	if c.cfg.Webhook == "" {
		return
	}
	resp, err := c.client.Post(c.cfg.Webhook, "text/plain; charset=utf-8", strings.NewReader(summary))
	if err != nil {
		c.log.Printf("webhook: %v", err)
		return
	}
	resp.Body.Close()
	if resp.StatusCode >= http.StatusMultipleChoices {
		c.log.Printf("webhook: %s", resp.Status)
	}
}
