package parse

import (
	"net/url"
	"strings"
	"testing"
)

func TestExtractResolvesAndFilters(t *testing.T) {
	base, _ := url.Parse("https://example.com/dir/page.html")
	body := []byte(`<html><head><title> Hello
	World </title></head><body>
	<a href="other.html#frag">x</a>
	<!-- <a href="/commented">no</a> -->
	<A HREF='/abs'>y</A>
	<a href="mailto:me@example.com">m</a>
	<a href="https://other.example/">z</a>
	<a href="/abs">dup</a>
	</body></html>`)
	var got []string
	for _, u := range Extract(base, body) {
		got = append(got, u.String())
	}
	want := "https://example.com/dir/other.html https://example.com/abs https://other.example/"
	if strings.Join(got, " ") != want {
		t.Fatalf("links = %v\nwant %s", got, want)
	}
	if tt := title(body); tt != "Hello World" {
		t.Fatalf("title = %q", tt)
	}
}

func TestNormalize(t *testing.T) {
	cases := []struct{ in, want string }{
		{"HTTP://Example.COM:80", "http://example.com/"},
		{"https://example.com:443/a#b", "https://example.com/a"},
		{"https://example.com:8443/a?q=1", "https://example.com:8443/a?q=1"},
	}
	for _, tc := range cases {
		u, err := url.Parse(tc.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := Normalize(u); got != tc.want {
			t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestParseSitemap(t *testing.T) {
	const doc = `<?xml version="1.0"?><urlset><url><loc>https://a.example/1</loc></url><url><loc> https://a.example/2 </loc></url></urlset>`
	locs, err := ParseSitemap(strings.NewReader(doc), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(locs) != 2 || locs[1] != "https://a.example/2" {
		t.Fatalf("locs = %q", locs)
	}
}
