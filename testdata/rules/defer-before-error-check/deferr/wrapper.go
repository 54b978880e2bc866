package deferr

import "net/http"

type downloader struct {
	client *http.Client
	agent  string
}

// do sets the user agent and sends the request.
func (d *downloader) do(req *http.Request) (*http.Response, error) {
	req.Header.Set("User-Agent", d.agent)
	return d.client.Do(req)
}

// The wrapper's error is discarded: on failure resp is nil.
func (d *downloader) reachable(req *http.Request) bool {
	resp, _ := d.do(req)
	defer resp.Body.Close() // want `the error of \(\*downloader\)\.do on line \d+ is discarded: when the request fails resp is nil`
	return resp.StatusCode/100 == 2
}

// ---- not flagged ----

func (d *downloader) alive(req *http.Request) bool {
	resp, err := d.do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	return resp.StatusCode/100 == 2
}
