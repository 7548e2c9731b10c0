"""Drawing up codes of practice, guidelines, templates and acts with stakeholders
(Art. 56, Art. 50(7)): projects and working groups, versioned drafts, consultations, the
AI tools that help the Office read the feedback, and adoption with its aftermath.
docs/design/drafting.md explains the parts."""
