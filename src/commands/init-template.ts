// The starter agents.yaml written by `agent-mcp init`: valid as is, answering offline (the chain ends with the test
// model), and commented so that every common key is one edit away.

/** `schemaRef`: where editors find the JSON Schema; `file`: this file's name, for the commands in its header. */
export function starterYaml(schemaRef: string, file: string): string {
  return `# yaml-language-server: $schema=${schemaRef}
# An MCP server whose tools are LLM agents. Every key: see the agents.yaml reference in agent-mcp's README.
# Try it (no key needed):
#   agent-mcp validate ${file}
#   agent-mcp call -c ${file} summarize text="Cats sleep all day."
#   agent-mcp install claude-desktop ${file}      (or cursor, vscode, claude-code)

server:
  name: my-agents
  version: 0.1.0
  instructions: Tools that summarize and triage text.

models:
  # Keys come from the environment (or a .env file beside this one): ANTHROPIC_API_KEY, OPENAI_API_KEY.
  claude: { provider: anthropic, model: claude-haiku-4-5, maxTokens: 1024 }
  # gpt: { provider: openai, model: gpt-4.1-mini }
  # local: { provider: openai, model: llama3.2, baseURL: "http://127.0.0.1:11434/v1", apiKey: "\${OLLAMA_KEY:-none}" }
  offline: { provider: test }   # deterministic, no network: everything runs before you set a key

defaults:
  # A fallback chain: the first usable model answers: claude once ANTHROPIC_API_KEY is set, else offline (drop it
  # for real use). Put \`sampling\` first to use the client's own model where the client offers it (VS Code).
  model: [claude, offline]
  timeout: 120s

tools:
  summarize:
    title: Summarizer
    description: Summarize a text in a few sentences
    system: You write short, faithful summaries. Never add facts.
    # {{name}} inserts an argument; {{#name}}...{{/name}} renders only when the argument is given.
    prompt: |
      Summarize this text{{#sentences}} in {{sentences}} sentences{{/sentences}}:

      {{text}}
    input:
      text: { type: string, description: The text to summarize }                          # required: no default
      sentences: { type: integer, minimum: 1, maximum: 10, default: 3, description: How many sentences }
    examples:                       # run by \`agent-mcp test\`
      - input: { text: "The cat sat on the mat all afternoon, watching the birds." }
        expect: { contains: cat }

  triage:
    title: Issue triage
    description: Classify a bug report or request
    prompt: "Classify this message: {{message}}"
    input:
      message: { type: string, description: The message to classify }
    # Structured output: the tool's MCP outputSchema; the answer is validated and returned as structuredContent.
    output:
      type: object
      properties:
        category: { type: string, enum: [bug, feature, question] }
        urgent: { type: boolean }
        summary: { type: string, description: One line }
      required: [category, urgent, summary]
    # model: claude           # a tool may pick its own model or chain
    # tools: [summarize]      # ...and call other tools of this file
    # maxSteps: 5
    examples:
      - input: { message: "The app crashes when I click save" }
        expect: { schema: true }

prompts:
  review:
    description: Ask for a review of a text
    arguments:
      text: { description: The text to review, required: true }
      tone: { description: How blunt to be, complete: [gentle, direct] }
    messages:
      - { role: user, text: "Review this text{{#tone}} in a {{tone}} tone{{/tone}}:\\n\\n{{text}}" }
`;
}
