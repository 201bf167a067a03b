// JSON columns are stored as text so that one schema serves SQLite and PostgreSQL alike.
export const toJson = (value: unknown): string => JSON.stringify(value ?? null);
export const fromJson = <T>(text: string | null): T => (text === null ? null : JSON.parse(text)) as T;
