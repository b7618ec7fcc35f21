/**
 * An error the user can fix (a bad option, a folder we must not replace, a wrong passphrase):
 * the CLI prints its message as is, without a stack trace. Anything else is a bug in kansli.
 */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
