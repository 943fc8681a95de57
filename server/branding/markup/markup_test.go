package markup

import (
	"strings"
	"testing"
)

func TestRender(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		text string
		want string
	}{
		// H-23: formatting constructs.
		{"H-23 renders **text** as bold", "call **now**", "<p>call <strong>now</strong></p>"},
		{"H-23 renders __text__ as bold (assumed reading of _text_ for bold)", "__now__", "<p><strong>now</strong></p>"},
		{"H-23 renders *text* as italics", "*soon*", "<p><em>soon</em></p>"},
		{"H-23 renders _text_ as italics", "_soon_", "<p><em>soon</em></p>"},
		{"H-23 renders ++text++ as underline", "++key++", "<p><u>key</u></p>"},
		{"H-23 renders an https hyperlink", "[Help](https://help.example.com/a?b=1&c=2)",
			`<p><a href="https://help.example.com/a?b=1&amp;c=2" rel="noopener noreferrer">Help</a></p>`},
		{"H-23 renders a mailto hyperlink", "[Mail us](mailto:help@example.com)",
			`<p><a href="mailto:help@example.com" rel="noopener noreferrer">Mail us</a></p>`},
		{"H-23 renders formatting inside link text", "[**Help**](https://example.com)",
			`<p><a href="https://example.com" rel="noopener noreferrer"><strong>Help</strong></a></p>`},
		{"H-23 renders a link inside bold", "**[Help](https://example.com)**",
			`<p><strong><a href="https://example.com" rel="noopener noreferrer">Help</a></strong></p>`},
		{"H-23 nests italics inside bold", "**a *b* c**", "<p><strong>a <em>b</em> c</strong></p>"},
		{"H-23 nests bold inside italics", "*a **b** c*", "<p><em>a <strong>b</strong> c</em></p>"},
		{"H-23 combines underline and bold", "++**x**++", "<p><u><strong>x</strong></u></p>"},
		// H-23: paragraphs.
		{"H-23 starts a paragraph at a blank line", "one\n\ntwo", "<p>one</p><p>two</p>"},
		{"H-23 treats a whitespace-only line as blank", "one\n \t\ntwo", "<p>one</p><p>two</p>"},
		{"H-23 accepts CRLF line endings", "one\r\n\r\ntwo", "<p>one</p><p>two</p>"},
		{"H-23 keeps a single newline inside a paragraph", "one\ntwo", "<p>one\ntwo</p>"},
		{"H-23 collapses several blank lines", "one\n\n\n\ntwo", "<p>one</p><p>two</p>"},
		{"H-23 does not let markers span paragraphs", "**one\n\ntwo**", "<p>**one</p><p>two**</p>"},
		{"renders empty text as nothing", "  \n\n ", ""},
		// Escaping.
		{"escapes a script element", "<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"},
		{"escapes quotes and ampersands", `"a" & 'b'`, "<p>&#34;a&#34; &amp; &#39;b&#39;</p>"},
		{"escapes HTML inside bold", "**<b>x</b>**", "<p><strong>&lt;b&gt;x&lt;/b&gt;</strong></p>"},
		{"escapes HTML in link text", "[<img src=x>](https://example.com)",
			`<p><a href="https://example.com" rel="noopener noreferrer">&lt;img src=x&gt;</a></p>`},
		{"escapes quotes in an href", `[x](https://example.com/"onmouseover="alert(1))`,
			`<p><a href="https://example.com/&#34;onmouseover=&#34;alert(1" rel="noopener noreferrer">x</a>)</p>`},
		{"replaces invalid UTF-8", "a\xffb", "<p>a\uFFFDb</p>"},
		// H-06 / safe links: other schemes render as text.
		{"renders a javascript: link as text", "[x](javascript:alert(1))", "<p>x (javascript:alert(1))</p>"},
		{"renders a JavaScript: link with mixed case as text", "[x](JaVaScRiPt:alert`1`)", "<p>x (JaVaScRiPt:alert`1`)</p>"},
		{"renders a data: link as text", "[x](data:text/html;base64,PHNjcmlwdD4=)", "<p>x (data:text/html;base64,PHNjcmlwdD4=)</p>"},
		{"renders a vbscript: link as text", "[x](vbscript:msgbox)", "<p>x (vbscript:msgbox)</p>"},
		{"renders an http link as text", "[x](http://example.com)", "<p>x (http://example.com)</p>"},
		{"renders a relative link as text", "[x](/path)", "<p>x (/path)</p>"},
		{"renders a protocol-relative link as text", "[x](//evil.example)", "<p>x (//evil.example)</p>"},
		{"renders an https link with user information as text", "[x](https://bank.example@evil.example)", "<p>x (https://bank.example@evil.example)</p>"},
		{"renders an https link with a backslash as text", `[x](https:\\evil.example)`, `<p>x (https:\\evil.example)</p>`},
		{"renders an https link without a host as text", "[x](https:evil)", "<p>x (https:evil)</p>"},
		// Unbalanced and nested markers.
		{"renders an unclosed bold literally", "**open", "<p>**open</p>"},
		{"renders an unclosed underline literally", "++open", "<p>++open</p>"},
		{"renders an empty emphasis literally", "****", "<p>****</p>"},
		{"renders a spaced asterisk literally", "2 * 3 * 4", "<p>2 * 3 * 4</p>"},
		{"keeps underscores inside words", "snake_case_name", "<p>snake_case_name</p>"},
		{"renders an unclosed link literally", "[text](https://example.com", "<p>[text](https://example.com</p>"},
		{"renders brackets without a target literally", "[text] (x)", "<p>[text] (x)</p>"},
		{"renders an empty link target literally", "[text]()", "<p>[text]()</p>"},
		{"never nests links", "[[a](https://a.example)](https://b.example)",
			`<p><a href="https://a.example" rel="noopener noreferrer">[a</a>](https://b.example)</p>`},
		{"renders a link inside link text as text", "[a [b](https://b.example) c](https://a.example)",
			`<p><a href="https://b.example" rel="noopener noreferrer">a [b</a> c](https://a.example)</p>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := string(Render(tt.text)); got != tt.want {
				t.Errorf("Render(%q)\n got %q\nwant %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestRenderLinksAsText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		text string
		want string
	}{
		{"H-24 renders an https link as text in native environments", "See [Help](https://example.com).",
			"<p>See Help (https://example.com).</p>"},
		{"H-24 keeps formatting in native environments", "**bold** [*x*](mailto:a@example.com)",
			"<p><strong>bold</strong> <em>x</em> (mailto:a@example.com)</p>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := string(RenderLinksAsText(tt.text)); got != tt.want {
				t.Errorf("RenderLinksAsText(%q)\n got %q\nwant %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		text    string
		wantErr string
	}{
		{"H-22 accepts empty text", "", ""},
		{"H-22 accepts 1,024 ASCII characters", strings.Repeat("a", 1024), ""},
		{"H-22 accepts 1,024 multi-byte characters counted as code points", strings.Repeat("é", 1024), ""},
		{"H-22 accepts 1,024 four-byte characters", strings.Repeat("😀", 1024), ""},
		{"H-22 rejects 1,025 characters and gives the count", strings.Repeat("a", 1025), "has 1025 characters; it can't exceed 1024"},
		{"H-22 rejects 1,025 multi-byte characters", strings.Repeat("ü", 1025), "has 1025 characters"},
		{"H-22 rejects text that is not valid Unicode", "a\xffb", "valid Unicode"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := Validate(tt.text)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Validate: unexpected error %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Validate error = %v, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}

func TestInlineNestingLimit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		depth int
		want  string
	}{
		{"renders a construct just inside the nesting limit", maxNesting - 1, "<em>x</em>"},
		{"renders markers beyond the nesting limit literally", maxNesting, "*x*"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var b strings.Builder
			renderer{}.inline(&b, "*x*", false, tt.depth)
			if b.String() != tt.want {
				t.Errorf("inline at depth %d = %q, want %q", tt.depth, b.String(), tt.want)
			}
		})
	}
}
