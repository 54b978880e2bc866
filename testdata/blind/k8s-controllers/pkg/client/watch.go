package client

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"sync"

	"example.com/k8scontrollers/pkg/api"
	"example.com/k8scontrollers/pkg/cache"
)

// StreamWatcher decodes a chunked watch response into cache events.
type StreamWatcher struct {
	body   io.ReadCloser
	result chan cache.Event
	done   chan struct{}
	once   sync.Once
}

type watchFrame struct {
	Type   cache.EventType `json:"type"`
	Object *api.Widget     `json:"object"`
}

// Watch opens a watch on the widgets of namespace from resourceVersion.
func (c *Client) Watch(ctx context.Context, namespace, resourceVersion string) (*StreamWatcher, error) {
	path := widgetsPath(namespace) + "?watch=1&resourceVersion=" + url.QueryEscape(resourceVersion)
	req, err := c.newRequest(ctx, http.MethodGet, path, nil)
	if err != nil {
		return nil, err
	}
	// Watches are long-lived: use a client without the overall timeout.
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		err := decodeError(resp)
		resp.Body.Close()
		return nil, err
	}
	w := &StreamWatcher{
		body:   resp.Body,
		result: make(chan cache.Event),
		done:   make(chan struct{}),
	}
	go w.receive()
	return w, nil
}

// receive is the only sender on w.result, so it owns closing it.
func (w *StreamWatcher) receive() {
	defer close(w.result)
	defer w.body.Close()
	dec := json.NewDecoder(w.body)
	for {
		var frame watchFrame
		if err := dec.Decode(&frame); err != nil {
			return
		}
		if frame.Object == nil {
			continue
		}
		select {
		case w.result <- cache.Event{Type: frame.Type, Object: frame.Object}:
		case <-w.done:
			return
		}
	}
}

// ResultChan implements cache.Watcher.
func (w *StreamWatcher) ResultChan() <-chan cache.Event {
	return w.result
}

// Stop implements cache.Watcher.
func (w *StreamWatcher) Stop() {
	w.once.Do(func() {
		close(w.done)
		w.body.Close()
	})
}

type widgetListWatch struct {
	c         *Client
	namespace string
}

// ListerWatcher adapts the client to cache.ListerWatcher.
func (c *Client) ListerWatcher(namespace string) cache.ListerWatcher {
	return widgetListWatch{c: c, namespace: namespace}
}

func (lw widgetListWatch) List(ctx context.Context) ([]api.Object, string, error) {
	items, rv, err := lw.c.List(ctx, lw.namespace)
	if err != nil {
		return nil, "", err
	}
	objs := make([]api.Object, len(items))
	for i, w := range items {
		objs[i] = w
	}
	return objs, rv, nil
}

func (lw widgetListWatch) Watch(ctx context.Context, resourceVersion string) (cache.Watcher, error) {
	w, err := lw.c.Watch(ctx, lw.namespace, resourceVersion)
	if err != nil {
		return nil, err
	}
	return w, nil
}

// StatusWriter writes widget status through the client.
type StatusWriter struct {
	C *Client
}

// WriteStatus reads the current widget and writes st as its status.
func (s StatusWriter) WriteStatus(ctx context.Context, key string, st api.WidgetStatus) error {
	w, err := s.C.Get(ctx, key)
	if err != nil {
		return err
	}
	w.Status = st
	return s.C.UpdateStatus(ctx, w)
}
