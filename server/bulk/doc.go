// Package bulk runs the bulk operations of seed 003 (K-01..K-03): CSV
// uploads that create users, delete users, or add or remove group members,
// and CSV downloads of users, groups and group members.
//
// An upload is checked at once (a known kind, the required columns, at most
// MaxRows rows and MaxBytes bytes) and stored as a job; a worker processes it
// in the background through the same directory services as the admin API
// and the CLI, under the permissions of whoever submitted it. Each row gets
// its own result — success with the object's ID, or a clear error — and a
// bad row never stops the others. The job's progress and each row's result
// are in the database: a worker holds a job by a lease it renews as it goes,
// and when a server stops mid-job another worker (or the same one after a
// restart) claims it once the lease has expired and resumes after the last
// row recorded. The row being processed when the server stopped is not done
// twice: its audit record carries the job and row as correlation ID, and
// the resuming worker finds it.
//
// Upload columns (a header row first, Graph property names, any order;
// extra columns are ignored):
//
//	createUsers    userPrincipalName, displayName, password (required);
//	               givenName, surname, mail, accountEnabled (true/false),
//	               department, jobTitle, usageLocation (optional)
//	deleteUsers    userPrincipalName (a UPN or object ID)
//	addMembers,    memberObjectIdOrUpn (a user's UPN or ID, or a group's ID);
//	removeMembers  the group is named by the upload
//
// The results file lists, per row: rowNumber, status, objectId, error.
// Downloaded values that a spreadsheet would read as a formula (starting
// with =, +, - or @) are prefixed with a quote.
package bulk
