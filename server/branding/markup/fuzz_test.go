package markup

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// allowedElements are the only elements Render may emit.
var allowedElements = map[atom.Atom]bool{
	atom.P: true, atom.Strong: true, atom.Em: true, atom.U: true, atom.A: true,
}

// FuzzRenderNeverInjectsMarkup checks that, for any input, the rendered HTML
// holds only the allowed elements and attributes, links only to https or
// mailto URLs, never nests links, and contains no tag the input wrote itself:
// every '<' in the output opens or closes an element Render emitted.
func FuzzRenderNeverInjectsMarkup(f *testing.F) {
	seeds := []string{
		"<script>alert(1)</script>",
		"**<img src=x onerror=alert(1)>**",
		"[x](javascript:alert(1))",
		"[x](JAVASCRIPT:alert(1))",
		"[x](java\tscript:alert(1))",
		"[x](data:text/html,<script>alert(1)</script>)",
		"[x](vbscript:msgbox)",
		"[x](//evil.example)",
		"[x](https://a.example/\"onmouseover=\"alert(1))",
		"[x](https://a.example/' onmouseover='alert(1))",
		"[<a href=javascript:alert(1)>y</a>](https://a.example)",
		"[[a](https://a.example)](https://b.example)",
		"**[a](https://a.example)**__b__*c*_d_++e++",
		"<!-- comment --> <![CDATA[x]]> <!DOCTYPE html>",
		"&lt;script&gt; &amp; &#60;",
		"one\n\ntwo\r\n\r\nthree\rfour",
		"**unbalanced __markers ++here *and _there",
		"a\x00b\xffc",
		"<p>**</p>**",
		"[x](mailto:a@example.com?subject=<b>)",
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, render := range []func(string) string{
			func(s string) string { return string(Render(s)) },
			func(s string) string { return string(RenderLinksAsText(s)) },
		} {
			checkSafe(t, text, render(text))
		}
	})
}

// checkSafe parses out as a body fragment and fails on anything Render must
// never emit.
func checkSafe(t *testing.T, text, out string) {
	t.Helper()
	body := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(out), body)
	if err != nil {
		t.Fatalf("output does not parse: %v\ninput %q\noutput %q", err, text, out)
	}
	elements := 0
	for _, n := range nodes {
		elements += checkNode(t, n, false, text, out)
	}
	if tags := strings.Count(out, "<"); tags != 2*elements {
		t.Fatalf("output has %d '<' for %d elements: input markup passed through\ninput %q\noutput %q",
			tags, elements, text, out)
	}
}

// checkNode checks n and its descendants and returns how many elements it
// holds.
func checkNode(t *testing.T, n *html.Node, inLink bool, text, out string) int {
	t.Helper()
	elements := 0
	switch n.Type {
	case html.TextNode:
	case html.ElementNode:
		elements++
		if !allowedElements[n.DataAtom] {
			t.Fatalf("element <%s> is not allowed\ninput %q\noutput %q", n.Data, text, out)
		}
		if n.DataAtom == atom.A {
			if inLink {
				t.Fatalf("nested link\ninput %q\noutput %q", text, out)
			}
			inLink = true
		}
		checkAttributes(t, n, text, out)
	default:
		t.Fatalf("node type %d is not allowed\ninput %q\noutput %q", n.Type, text, out)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		elements += checkNode(t, c, inLink, text, out)
	}
	return elements
}

// checkAttributes allows exactly href (https or mailto) and rel on a, and no
// attribute elsewhere.
func checkAttributes(t *testing.T, n *html.Node, text, out string) {
	t.Helper()
	if n.DataAtom != atom.A {
		if len(n.Attr) != 0 {
			t.Fatalf("<%s> has attributes %v\ninput %q\noutput %q", n.Data, n.Attr, text, out)
		}
		return
	}
	if len(n.Attr) != 2 {
		t.Fatalf("<a> has attributes %v, want href and rel\ninput %q\noutput %q", n.Attr, text, out)
	}
	for _, a := range n.Attr {
		switch {
		case a.Namespace == "" && a.Key == "href" && AllowedLink(a.Val) && hasSafeScheme(a.Val):
		case a.Namespace == "" && a.Key == "rel" && a.Val == relValue:
		default:
			t.Fatalf("<a> has attribute %s=%q\ninput %q\noutput %q", a.Key, a.Val, text, out)
		}
	}
}

// hasSafeScheme is an independent check of the link's scheme as a browser
// reads it.
func hasSafeScheme(href string) bool {
	lower := strings.ToLower(href)
	return strings.HasPrefix(lower, "https://") || strings.HasPrefix(lower, "mailto:")
}
