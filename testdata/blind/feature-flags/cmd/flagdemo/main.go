// Command flagdemo is the example web application shipped with the SDK: it
// shows how to start a client, evaluate flags per request and shut down.
package main

import (
	"context"
	"fmt"
	"html/template"
	"log"
	"net/http"
	"os"
	"strings"
	"time"

	"example.com/flagsvc/internal/flags"
	"example.com/flagsvc/sdk"
)

var page = template.Must(template.New("home").Parse(`<!doctype html>
<title>flagdemo</title>
{{if .NewCheckout}}<p>New checkout is ON for {{.User}}</p>{{else}}<p>Classic checkout for {{.User}}</p>{{end}}
<p>Banner: {{.Banner}}</p>
`))

func main() {
	client, err := sdk.New(sdk.Options{
		BaseURL: envOr("FLAGS_URL", "http://localhost:8080"),
		SDKKey:  os.Getenv("FLAGS_SDK_KEY"),
	})
	if err != nil {
		log.Fatal(err)
	}
	if err := client.Start(context.Background()); err != nil {
		log.Fatal(err)
	}
	defer client.Close()

	warmUp(client, []string{"new-checkout", "banner-text"})
	go refreshLoop(client, time.Minute)

	http.Handle("/", withRecover(handleHome(client)))
	http.Handle("/preview", withRecover(handlePreview(client)))
	http.Handle("/checkout", withRecover(handleCheckout(client)))
	go func() {
		log.Println(http.ListenAndServe(envOr("ADDR", ":3000"), nil))
	}()
	select {} // HAZ signal-skips-defer
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func handleHome(client *sdk.Client) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		key := r.URL.Query().Get("user")
		if key == "" {
			key = "anonymous"
		}
		u := flags.User{Key: key, Attrs: map[string]string{"country": r.Header.Get("CF-IPCountry")}}
		data := struct {
			User        string
			NewCheckout bool
			Banner      string
		}{
			User:        u.Key,
			NewCheckout: client.BoolVariation("new-checkout", u, false),
			Banner:      client.Variation("banner-text", u, "Welcome!"),
		}
		if err := page.Execute(w, data); err != nil {
			log.Printf("render: %v", err)
		}
	}
}

// handleCheckout is the instrumented endpoint of the demo: it logs which
// checkout flow each user got and how long the checkout took.
func handleCheckout(client *sdk.Client) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		u := flags.User{Key: r.FormValue("user")}
		flow := client.Variation("checkout-flow", u, "classic")
		defer log.Printf("checkout user=%s flow=%s took %v", u.Key, flow, time.Now().Sub(start)) // HAZ defer-eager-evaluation
		if r.Method != http.MethodPost {
			http.Error(w, "POST only", http.StatusMethodNotAllowed)
			return
		}
		if flow == "one-page" {
			time.Sleep(20 * time.Millisecond) // stands in for the real payment call
		}
		fmt.Fprintf(w, "order placed via the %s checkout\n", flow)
	}
}

// handlePreview shows which variation of ?flag= each listed user gets.
func handlePreview(client *sdk.Client) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		key := r.URL.Query().Get("flag")
		var users []flags.User
		for _, k := range strings.Split(r.URL.Query().Get("users"), ",") {
			if k != "" {
				users = append(users, flags.User{Key: k})
			}
		}
		for i, v := range evaluateFor(client, key, users) {
			fmt.Fprintf(w, "%s\t%s\n", users[i].Key, v)
		}
	}
}

func withRecover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer logPanic(r, recover()) // HAZ recover-ineffective
		next.ServeHTTP(w, r)
	})
}

func logPanic(r *http.Request, v any) {
	if v != nil {
		log.Printf("panic serving %s: %v", r.URL.Path, v)
	}
}

// refreshLoop forces a full refresh every interval in case a proxy silently
// buffers the event stream.
func refreshLoop(client *sdk.Client, interval time.Duration) {
	defer func() {
		recover() // HAZ recover-swallows-panic
	}()
	for {
		time.Sleep(interval)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err := client.Refresh(ctx, 0)
		cancel()
		if err != nil {
			log.Printf("refresh: %v", err)
		}
	}
}
