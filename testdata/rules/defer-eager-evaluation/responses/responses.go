// A field path read through a pointer at the defer statement: the deferred call keeps acting on
// the old value's field when the pointer variable is reassigned.
package responses

import (
	"io"
	"log"
	"net/http"
)

func twoRequests(c *http.Client, u1, u2 string) error {
	resp, err := c.Get(u1)
	if err != nil {
		return err
	}
	defer resp.Body.Close() // want `defer resp.Body.Close\(\) reads resp.Body at the defer statement on line 16; resp is reassigned on line 17, so the deferred Close still acts on the old resp.Body, and the resp.Body of the resp assigned on line 17 is never closed`
	resp, err = c.Get(u2)
	if err != nil {
		return err
	}
	log.Println(resp.Status)
	return nil
}

// Each response gets its own deferred Close.
func twoRequestsClosed(c *http.Client, u1, u2 string) error {
	resp, err := c.Get(u1)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	resp, err = c.Get(u2)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return nil
}

// Assigned only before the defer: nothing is left behind.
func retry(c *http.Client, u string) error {
	var resp *http.Response
	var err error
	for i := 0; i < 3; i++ {
		resp, err = c.Get(u)
		if err == nil {
			break
		}
	}
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return nil
}
