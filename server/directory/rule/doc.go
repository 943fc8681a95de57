// Package rule parses and evaluates Entra-style dynamic-group membership rules
// for users (B-07, B-08, B-10, B-14).
//
// It owns the rule language only: lexing, parsing with position-accurate
// errors, the property whitelist, a canonical printed form and evaluation
// against a Subject. It is pure: it must not read storage, resolve groups,
// log or keep state between calls. Directory-wide checks that need context
// (a memberOf source must not itself be a memberOf group, B-21; at most 500
// memberOf groups per tenant, B-19) belong to the caller, which reads the
// source groups from (*Rule).MemberOfGroups.
//
// Grammar (EBNF; operators, true, false and null are case-insensitive):
//
//	rule        = memberOf | orExpr .
//	orExpr      = andExpr { "-or" andExpr } .
//	andExpr     = notExpr { "-and" notExpr } .
//	notExpr     = "-not" notExpr | primary .
//	primary     = "(" orExpr ")" | comparison | quantified .
//	comparison  = property operator value .
//	quantified  = multiProperty ( "-any" | "-all" ) "(" "_" operator value ")" .
//	memberOf    = "user.memberOf" "-any" "(" "group.objectId" "-in" list ")"
//	            | "(" memberOf ")" .
//	operator    = "-eq" | "-ne" | "-startsWith" | "-notStartsWith"
//	            | "-contains" | "-notContains" | "-match" | "-notMatch"
//	            | "-in" | "-notIn" .
//	value       = string | "true" | "false" | "null" | list .
//	list        = "[" [ string { "," string } ] "]" .
//	string      = '"' { char | '\"' | '\\' } '"' | "'" { char | "\'" | '\\' } "'" .
//	property    = "user." ( known | "extensionAttribute" digit15 | directoryExt ) .
//	directoryExt = "extension_" hex32 "_" name .
//
// Precedence is -not over -and over -or; -and and -or associate to the left.
//
// Semantics:
//   - String comparisons ignore case, as Entra's do; -match uses Go's RE2
//     syntax, is compiled once at parse time and ignores case too.
//   - -eq null holds when the attribute is empty; -ne null when it is not.
//     null is accepted only with -eq and -ne.
//   - -in and -notIn take a list; every other operator takes a single value.
//   - Boolean properties (accountEnabled) take only -eq or -ne with true or
//     false.
//   - Multi-valued properties (otherMails, proxyAddresses) are used only
//     through -any (some element satisfies the condition on _) or -all (the
//     attribute has at least one element and every element satisfies it; an
//     empty attribute never satisfies -all, so absence grants nothing).
//   - memberOf counts only direct membership of the source groups (B-17),
//     accepts 1 to 50 group object IDs (B-16, B-20) and must be the whole
//     rule: it cannot be combined with or negated by other expressions (B-22,
//     B-23).
//   - A rule has at most MaxLength (3072) characters, Entra's limit.
//   - Extension attributes 1-15 and directory extensions are string
//     properties (B-47). A Subject receives directory-extension names in lower
//     case and every other property in the canonical spelling of the whitelist.
package rule
